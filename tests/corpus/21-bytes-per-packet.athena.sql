-- Tutorial shape: average packet size per protocol (integer division, as Trino does it).
SELECT protocol, SUM(packets) AS packets, COUNT(*) AS flows, SUM(bytes) / SUM(packets) AS bytes_per_packet
FROM vpc_flow_logs WHERE packets > 0 GROUP BY protocol ORDER BY protocol
