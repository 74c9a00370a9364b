SELECT srcaddr, arg_min(dstport, start * 100000 + dstport) AS first_port, min(start) AS first_seen FROM flows
WHERE action = 'REJECT' GROUP BY srcaddr ORDER BY first_seen, srcaddr LIMIT 15
