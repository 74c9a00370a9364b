SELECT srcaddr, dstaddr, protocol, dstport, SUM(bytes) AS bytes FROM flows
WHERE split_part(srcaddr, '.', 1) = '10' AND split_part(srcaddr, '.', 2) = '20' AND srcaddr LIKE '%.%'
  AND NOT (split_part(dstaddr, '.', 1) = '10' AND split_part(dstaddr, '.', 2) = '20' AND dstaddr LIKE '%.%')
  AND dstport < 1024
GROUP BY 1, 2, 3, 4 ORDER BY bytes DESC, srcaddr, dstaddr, protocol, dstport
