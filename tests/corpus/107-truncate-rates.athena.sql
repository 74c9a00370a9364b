-- Bytes per packet truncated toward zero, with truncate.
SELECT truncate(SUM(bytes) / CAST(SUM(packets) AS DOUBLE)) AS bytes_per_packet, protocol FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY protocol ORDER BY protocol
