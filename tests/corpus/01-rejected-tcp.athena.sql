-- AWS documentation, Query flow logs using Amazon Athena: rejected TCP traffic.
-- Adapted: AWS's `date` partition is this table's `day` string; ORDER BY makes LIMIT deterministic.
SELECT day_of_week(date_parse(day, '%Y/%m/%d')) AS dow, day, interface_id, srcaddr, action, protocol
FROM vpc_flow_logs
WHERE action = 'REJECT' AND protocol = 6
ORDER BY day, interface_id, srcaddr, dow, action, protocol
LIMIT 100
