SELECT srcaddr, COUNT(DISTINCT srcport) FILTER (WHERE srcport >= 32768) AS ephemeral FROM flows
WHERE srcaddr LIKE '10.20.3%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 10
