SELECT interface_id, any_value(account_id) AS account, any_value(vpc_id) AS vpc FROM flows
WHERE log_status = 'OK' GROUP BY interface_id ORDER BY interface_id
