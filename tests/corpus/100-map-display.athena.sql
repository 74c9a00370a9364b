-- Maps print as Athena prints them: {key=value}.
SELECT action, map_agg(protocol, n) AS per_protocol FROM (
  SELECT action, protocol, COUNT(*) AS n FROM vpc_flow_logs WHERE action IS NOT NULL AND protocol = 6 GROUP BY 1, 2)
GROUP BY action ORDER BY action
