-- The AWS big-data blog's QuickSight article: bytes over time, here per hour.
SELECT date_trunc('hour', from_unixtime(start)) AS hour, SUM(bytes) AS bytes, COUNT(*) AS flows
FROM vpc_flow_logs
WHERE log_status = 'OK'
GROUP BY 1
ORDER BY 1
