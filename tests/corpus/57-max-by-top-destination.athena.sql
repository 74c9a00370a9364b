-- Each source's largest flow's destination, with max_by.
SELECT srcaddr, max_by(dstaddr, bytes * 1000000 + dstport) AS biggest_to, max(bytes) AS bytes FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.1%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 15
