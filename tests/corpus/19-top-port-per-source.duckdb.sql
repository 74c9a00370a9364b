SELECT srcaddr, dstport, flows FROM (
  SELECT srcaddr, dstport, COUNT(*) AS flows, row_number() OVER (PARTITION BY srcaddr ORDER BY COUNT(*) DESC, dstport) AS rn
  FROM flows WHERE action = 'REJECT' GROUP BY srcaddr, dstport
) t WHERE rn = 1 ORDER BY flows DESC, srcaddr LIMIT 20
