-- A local-time report: flows per hour of the day in New York, with AT TIME ZONE.
SELECT hour(from_unixtime(start) AT TIME ZONE 'America/New_York') AS local_hour, COUNT(*) AS flows,
  date_format(min(from_unixtime(start) AT TIME ZONE 'America/New_York'), '%H:%i') AS first_seen
FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
