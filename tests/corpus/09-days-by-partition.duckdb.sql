SELECT day, COUNT(*) AS flows, SUM(packets) AS packets FROM flows
WHERE day BETWEEN '2026/11/21' AND '2026/11/22' GROUP BY day ORDER BY day
