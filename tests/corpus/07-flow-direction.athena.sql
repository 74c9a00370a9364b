-- AWS documentation, flow log v5 fields: traffic by flow direction.
SELECT flow_direction, COUNT(*) AS flows, SUM(bytes) AS bytes
FROM vpc_flow_logs
WHERE flow_direction IS NOT NULL
GROUP BY flow_direction
ORDER BY flow_direction
