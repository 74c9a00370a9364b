-- concat joins arrays, and || too.
SELECT cardinality(concat(ARRAY[srcport], ARRAY[dstport, protocol])) AS c, cardinality(ARRAY[srcport] || ARRAY[dstport]) AS d, COUNT(*) AS n
FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1, 2
