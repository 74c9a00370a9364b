-- Arrays print as Athena prints them, NULLs inside included.
SELECT ARRAY[srcport, dstport] AS ports, ARRAY[action, NULL] AS with_null, COUNT(*) AS n FROM vpc_flow_logs
WHERE dstport IN (22, 3389) GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 6
