-- The octets of internal destinations with their positions, WITH ORDINALITY.
SELECT pos, octet, COUNT(*) AS n FROM vpc_flow_logs
CROSS JOIN UNNEST(split(dstaddr, '.')) WITH ORDINALITY AS t(octet, pos)
WHERE dstaddr LIKE '10.20.%' AND pos <= 3 GROUP BY pos, octet ORDER BY pos, n DESC, octet LIMIT 12
