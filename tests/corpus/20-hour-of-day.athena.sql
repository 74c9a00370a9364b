-- Tutorial shape: traffic by hour of day (UTC).
SELECT hour(from_unixtime(start)) AS h, COUNT(*) AS flows, SUM(bytes) AS bytes FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
