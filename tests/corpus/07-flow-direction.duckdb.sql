SELECT flow_direction, COUNT(*) AS flows, SUM(bytes) AS bytes FROM flows
WHERE flow_direction IS NOT NULL GROUP BY flow_direction ORDER BY flow_direction
