SELECT interface_id, list(packets ORDER BY packets)[1:3] AS smallest FROM flows WHERE log_status = 'OK'
GROUP BY interface_id ORDER BY interface_id
