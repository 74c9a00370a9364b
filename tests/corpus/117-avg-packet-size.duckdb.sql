SELECT protocol, round(SUM(bytes) * 1.0 / SUM(packets), 1) AS avg_packet FROM flows
WHERE log_status = 'OK' AND packets > 0 GROUP BY protocol ORDER BY protocol
