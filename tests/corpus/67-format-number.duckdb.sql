SELECT protocol, CASE WHEN v < 10 THEN rtrim(rtrim(printf('%.2f', v), '0'), '.')
  WHEN v < 100 THEN rtrim(rtrim(printf('%.1f', v), '0'), '.') ELSE printf('%.0f', v) END || u AS total
FROM (SELECT protocol,
  CASE WHEN b >= 1e12 THEN b / 1e12 WHEN b >= 1e9 THEN b / 1e9 WHEN b >= 1e6 THEN b / 1e6 WHEN b >= 1e3 THEN b / 1e3 ELSE b END AS v,
  CASE WHEN b >= 1e12 THEN 'T' WHEN b >= 1e9 THEN 'B' WHEN b >= 1e6 THEN 'M' WHEN b >= 1e3 THEN 'K' ELSE '' END AS u
  FROM (SELECT protocol, SUM(bytes) AS b FROM flows WHERE log_status = 'OK' GROUP BY protocol))
ORDER BY protocol
