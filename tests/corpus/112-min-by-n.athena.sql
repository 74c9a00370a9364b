-- The three smallest flows of each interface, with min_by(x, y, n).
SELECT interface_id, min_by(packets, packets, 3) AS smallest FROM vpc_flow_logs WHERE log_status = 'OK'
GROUP BY interface_id ORDER BY interface_id
