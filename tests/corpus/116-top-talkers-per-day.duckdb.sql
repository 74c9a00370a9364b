SELECT day, srcaddr, SUM(bytes) AS total_bytes FROM flows WHERE log_status = 'OK'
GROUP BY day, srcaddr ORDER BY total_bytes DESC, day, srcaddr LIMIT 10
