-- Common tutorial shape: how long flows last, per protocol.
SELECT protocol, COUNT(*) AS flows, ROUND(AVG("end" - start), 3) AS avg_seconds, MAX("end" - start) AS max_seconds
FROM vpc_flow_logs
WHERE log_status = 'OK'
GROUP BY protocol
ORDER BY protocol
