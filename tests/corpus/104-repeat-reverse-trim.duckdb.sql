SELECT 3 AS three, reverse(action) AS backwards, dstport AS dst, 1 AS one
FROM flows WHERE action IS NOT NULL AND dstport = 22 GROUP BY 1, 2, 3, 4 ORDER BY 2 LIMIT 4
