SELECT srcaddr, COUNT(DISTINCT dstaddr) AS destinations, COUNT(DISTINCT dstport) AS ports FROM flows
WHERE srcaddr LIKE '10.20.%' GROUP BY srcaddr ORDER BY destinations DESC, srcaddr LIMIT 10
