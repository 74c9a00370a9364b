-- Each interface's three largest flows' byte counts, with max_by(x, y, n).
SELECT interface_id, max_by(bytes, bytes, 3) AS top3 FROM vpc_flow_logs WHERE log_status = 'OK'
GROUP BY interface_id ORDER BY interface_id
