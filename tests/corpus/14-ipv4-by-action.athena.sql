-- AWS flow-logs Athena integration, Ipv4Bytes, by action.
SELECT action, COUNT(*) AS flows, SUM(bytes) AS bytes FROM vpc_flow_logs WHERE srcaddr LIKE '%.%' GROUP BY action ORDER BY action
