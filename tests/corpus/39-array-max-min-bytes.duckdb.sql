SELECT interface_id, max(bytes) AS most, min(bytes) AS least_bytes
FROM flows WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
