-- TCP flags analysis: SYN without ACK, with bitwise_and.
SELECT bitwise_and(tcp_flags, 2) > 0 AS syn, bitwise_and(tcp_flags, 16) > 0 AS ack, bitwise_or(tcp_flags, 1) AS with_fin,
  COUNT(*) AS flows FROM vpc_flow_logs WHERE protocol = 6 AND tcp_flags IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
