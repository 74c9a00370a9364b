SELECT (tcp_flags & 2) > 0 AS syn, (tcp_flags & 16) > 0 AS ack, tcp_flags | 1 AS with_fin,
  COUNT(*) AS flows FROM flows WHERE protocol = 6 AND tcp_flags IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
