SET TimeZone = 'UTC';
SELECT hour(to_timestamp(start) AT TIME ZONE 'America/New_York') AS local_hour, COUNT(*) AS flows,
  strftime(min(to_timestamp(start) AT TIME ZONE 'America/New_York'), '%H:%M') AS first_seen
FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
