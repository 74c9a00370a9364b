-- split with a limit keeps the rest in the last part.
SELECT split(srcaddr, '.', 2)[2] AS rest, COUNT(*) AS flows FROM vpc_flow_logs WHERE srcaddr LIKE '10.20.1%'
GROUP BY 1 ORDER BY 1 LIMIT 8
