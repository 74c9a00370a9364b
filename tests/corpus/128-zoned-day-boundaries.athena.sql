-- Days as Tokyo sees them: date_trunc and a DATE cast of zoned timestamps, and from_unixtime(x, zone).
SELECT CAST(date_trunc('day', from_unixtime(start, 'Asia/Tokyo')) AS DATE) AS tokyo_day,
  day_of_week(from_unixtime(start, 'Asia/Tokyo')) AS dow, COUNT(*) AS flows
FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1, 2 ORDER BY 1
