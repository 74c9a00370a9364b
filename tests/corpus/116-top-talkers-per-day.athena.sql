-- AWS's documentation shape: bytes per source per day, the top ten.
SELECT day, srcaddr, SUM(bytes) AS total_bytes FROM vpc_flow_logs WHERE log_status = 'OK'
GROUP BY day, srcaddr ORDER BY total_bytes DESC, day, srcaddr LIMIT 10
