SET TimeZone = 'UTC';
SELECT CAST(to_timestamp(start) AT TIME ZONE 'Asia/Tokyo' AS DATE) AS tokyo_day,
  isodow(to_timestamp(start) AT TIME ZONE 'Asia/Tokyo') AS dow, COUNT(*) AS flows
FROM flows WHERE log_status = 'OK' GROUP BY 1, 2 ORDER BY 1
