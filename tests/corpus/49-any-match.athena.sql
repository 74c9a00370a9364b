-- Hosts that tried any admin port, with a lambda in any_match.
SELECT tried_admin, COUNT(*) AS hosts FROM (
  SELECT srcaddr, any_match(array_agg(dstport), p -> p IN (22, 3389)) AS tried_admin
  FROM vpc_flow_logs WHERE action = 'REJECT' GROUP BY srcaddr)
GROUP BY tried_admin ORDER BY tried_admin
