SELECT trunc(SUM(bytes) / CAST(SUM(packets) AS DOUBLE)) AS bytes_per_packet, protocol FROM flows
WHERE log_status = 'OK' GROUP BY protocol ORDER BY protocol
