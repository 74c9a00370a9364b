SELECT srcaddr, COUNT(*) FILTER (WHERE action = 'ACCEPT') AS accepted, COUNT(*) FILTER (WHERE action = 'REJECT') AS rejected
FROM flows WHERE srcaddr LIKE '10.20.%' GROUP BY srcaddr ORDER BY rejected DESC, srcaddr LIMIT 20
