SELECT 3 AS c, 2 AS d, COUNT(*) AS n FROM flows WHERE log_status = 'OK'
