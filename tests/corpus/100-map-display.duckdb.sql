SELECT action, map_from_entries(list({'k': protocol, 'v': n})) AS per_protocol FROM (
  SELECT action, protocol, COUNT(*) AS n FROM flows WHERE action IS NOT NULL AND protocol = 6 GROUP BY 1, 2)
GROUP BY action ORDER BY action
