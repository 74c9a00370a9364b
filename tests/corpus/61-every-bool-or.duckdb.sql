SELECT interface_id, bool_and(action = 'ACCEPT') AS all_accepted, bool_or(action = 'REJECT') AS any_rejected FROM flows
WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
