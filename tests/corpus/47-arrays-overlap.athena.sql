-- Rejected sources that tried the admin ports, with arrays_overlap.
SELECT admin, COUNT(*) AS sources FROM (
  SELECT srcaddr, arrays_overlap(array_agg(dstport), ARRAY[22, 3389, 5900]) AS admin
  FROM vpc_flow_logs WHERE action = 'REJECT' GROUP BY srcaddr)
GROUP BY admin ORDER BY admin
