SELECT (start % 86400) // 3600 AS h, COUNT(*) AS flows, SUM(bytes) AS bytes FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
