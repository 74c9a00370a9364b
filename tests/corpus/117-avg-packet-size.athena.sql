-- Average packet size per protocol, rounded.
SELECT protocol, round(SUM(bytes) * 1.0E0 / SUM(packets), 1) AS avg_packet FROM vpc_flow_logs
WHERE log_status = 'OK' AND packets > 0 GROUP BY protocol ORDER BY protocol
