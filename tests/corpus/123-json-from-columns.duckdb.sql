SELECT CAST(dstport AS VARCHAR) AS port, CASE WHEN action = 'ACCEPT' THEN 'true' ELSE 'false' END AS ok, COUNT(*) AS n FROM flows
WHERE dstport IN (22, 80) AND action IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
