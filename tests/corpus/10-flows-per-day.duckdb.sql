SELECT strftime(make_timestamp(start * 1000000), '%Y-%m-%d') AS d, COUNT(*) AS flows FROM flows
WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
