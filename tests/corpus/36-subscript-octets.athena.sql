-- The /16 of each internal source with the subscript operator.
SELECT split(srcaddr, '.')[1] || '.' || split(srcaddr, '.')[2] AS net16, COUNT(*) AS flows
FROM vpc_flow_logs WHERE srcaddr LIKE '10.%.%.%' GROUP BY 1 ORDER BY 1
