SELECT [srcport, dstport] AS ports, [action, NULL] AS with_null, COUNT(*) AS n FROM flows
WHERE dstport IN (22, 3389) GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 6
