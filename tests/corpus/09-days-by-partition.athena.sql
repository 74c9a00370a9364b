-- A partition predicate as Athena users write it for a day-partitioned table.
SELECT day, COUNT(*) AS flows, SUM(packets) AS packets
FROM vpc_flow_logs
WHERE day BETWEEN '2026/11/21' AND '2026/11/22'
GROUP BY day
ORDER BY day
