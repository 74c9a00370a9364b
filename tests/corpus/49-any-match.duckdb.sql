SELECT tried_admin, COUNT(*) AS hosts FROM (
  SELECT srcaddr, bool_or(dstport IN (22, 3389)) AS tried_admin FROM flows WHERE action = 'REJECT' GROUP BY srcaddr)
GROUP BY tried_admin ORDER BY tried_admin
