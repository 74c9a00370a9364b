SELECT action, SUM(bytes) FILTER (WHERE protocol = 6) AS tcp_bytes, SUM(bytes) FILTER (WHERE protocol = 17) AS udp_bytes,
  COUNT(DISTINCT protocol) AS protocols FROM flows WHERE log_status = 'OK' GROUP BY action ORDER BY action
