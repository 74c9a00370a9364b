SELECT 'varchar' AS a, 'bigint' AS b, 'array(bigint)' AS c, 'map(varchar, bigint)' AS d, COUNT(*) AS n FROM flows
