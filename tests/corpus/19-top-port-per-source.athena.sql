-- Window-function shape: each rejected source's most-tried port.
SELECT srcaddr, dstport, flows FROM (
  SELECT srcaddr, dstport, COUNT(*) AS flows, ROW_NUMBER() OVER (PARTITION BY srcaddr ORDER BY COUNT(*) DESC, dstport) AS rn
  FROM vpc_flow_logs WHERE action = 'REJECT' GROUP BY srcaddr, dstport
) t WHERE rn = 1 ORDER BY flows DESC, srcaddr LIMIT 20
