-- The largest and smallest flow per interface, from arrays.
SELECT interface_id, array_max(array_agg(bytes)) AS most, array_min(array_agg(bytes)) AS least_bytes
FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
