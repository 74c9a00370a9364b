-- One value per group where every row agrees, with arbitrary and any_value.
SELECT interface_id, arbitrary(account_id) AS account, any_value(vpc_id) AS vpc FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
