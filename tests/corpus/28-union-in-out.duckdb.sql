SELECT 'out' AS direction, COUNT(*) AS flows FROM flows WHERE srcaddr LIKE '10.20.%'
UNION ALL SELECT 'in' AS direction, COUNT(*) AS flows FROM flows WHERE dstaddr LIKE '10.20.%' ORDER BY direction
