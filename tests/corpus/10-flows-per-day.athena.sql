-- Common tutorial shape: flows per calendar day with date_format.
SELECT date_format(from_unixtime(start), '%Y-%m-%d') AS d, COUNT(*) AS flows
FROM vpc_flow_logs
WHERE log_status = 'OK'
GROUP BY 1
ORDER BY 1
