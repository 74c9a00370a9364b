SELECT admin, COUNT(*) AS sources FROM (
  SELECT srcaddr, bool_or(dstport IN (22, 3389, 5900)) AS admin FROM flows WHERE action = 'REJECT' GROUP BY srcaddr)
GROUP BY admin ORDER BY admin
