SELECT [[srcport], [dstport, protocol]] AS nested, COUNT(*) AS n FROM flows
WHERE dstport = 3389 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5
