-- Interfaces where every flow was accepted, or any was rejected.
SELECT interface_id, every(action = 'ACCEPT') AS all_accepted, bool_or(action = 'REJECT') AS any_rejected FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
