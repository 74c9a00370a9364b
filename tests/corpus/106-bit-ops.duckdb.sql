SELECT tcp_flags, xor(tcp_flags, 18) AS xored, ~tcp_flags AS inverted, tcp_flags << 2 AS shifted,
  tcp_flags >> 1 AS halved, bit_count(tcp_flags) AS bits, COUNT(*) AS flows
FROM flows WHERE tcp_flags IS NOT NULL GROUP BY 1 ORDER BY 1
