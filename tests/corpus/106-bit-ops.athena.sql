-- Shifts, xor, not and bit_count over TCP flags.
SELECT tcp_flags, bitwise_xor(tcp_flags, 18) AS xored, bitwise_not(tcp_flags) AS inverted, bitwise_left_shift(tcp_flags, 2) AS shifted,
  bitwise_right_shift(tcp_flags, 1) AS halved, bit_count(tcp_flags, 64) AS bits, COUNT(*) AS flows
FROM vpc_flow_logs WHERE tcp_flags IS NOT NULL GROUP BY 1 ORDER BY 1
