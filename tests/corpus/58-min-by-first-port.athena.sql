-- The port of each rejected source's earliest flow, with min_by.
SELECT srcaddr, min_by(dstport, start * 100000 + dstport) AS first_port, min(start) AS first_seen FROM vpc_flow_logs
WHERE action = 'REJECT' GROUP BY srcaddr ORDER BY first_seen, srcaddr LIMIT 15
