SELECT interface_id, list(bytes ORDER BY bytes DESC)[1:3] AS top3 FROM flows WHERE log_status = 'OK'
GROUP BY interface_id ORDER BY interface_id
