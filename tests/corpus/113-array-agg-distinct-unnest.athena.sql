-- Re-expanding an aggregated array with UNNEST.
SELECT srcaddr, port FROM (SELECT srcaddr, array_agg(DISTINCT dstport) AS ports FROM vpc_flow_logs
  WHERE action = 'REJECT' AND srcaddr LIKE '185.%' GROUP BY srcaddr) s
CROSS JOIN UNNEST(s.ports) AS t(port) ORDER BY srcaddr, port LIMIT 20
