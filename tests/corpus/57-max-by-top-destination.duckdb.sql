SELECT srcaddr, arg_max(dstaddr, bytes * 1000000 + dstport) AS biggest_to, max(bytes) AS bytes FROM flows
WHERE srcaddr LIKE '10.20.1%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 15
