SELECT protocol, SUM(packets) AS packets, COUNT(*) AS flows, SUM(bytes) // SUM(packets) AS bytes_per_packet
FROM flows WHERE packets > 0 GROUP BY protocol ORDER BY protocol
