SELECT dstaddr, SUM(bytes) AS bytes FROM flows
WHERE srcaddr LIKE '%.%' AND split_part(srcaddr, '.', 1) = '10' AND split_part(srcaddr, '.', 2) = '20'
  AND TRY_CAST(split_part(srcaddr, '.', 3) AS INTEGER) < 128
GROUP BY dstaddr ORDER BY bytes DESC, dstaddr LIMIT 20
