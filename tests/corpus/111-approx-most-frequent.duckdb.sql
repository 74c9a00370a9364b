SELECT action, COUNT(*) FILTER (WHERE protocol = 6) AS tcp, NULLIF(COUNT(*) FILTER (WHERE protocol = 17), 0) AS udp,
  least(COUNT(DISTINCT protocol), 2) AS kept FROM flows WHERE action IS NOT NULL GROUP BY action ORDER BY action
