SELECT strftime(date_trunc('hour', make_timestamp(start * 1000000)), '%Y-%m-%d %H:%M:%S.000 UTC') AS hour,
SUM(bytes) AS bytes, COUNT(*) AS flows FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
