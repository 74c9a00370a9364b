-- Fan-out: distinct destinations per internal source.
SELECT srcaddr, COUNT(DISTINCT dstaddr) AS destinations, COUNT(DISTINCT dstport) AS ports FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.%' GROUP BY srcaddr ORDER BY destinations DESC, srcaddr LIMIT 10
