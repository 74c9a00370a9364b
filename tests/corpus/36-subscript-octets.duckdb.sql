SELECT split_part(srcaddr, '.', 1) || '.' || split_part(srcaddr, '.', 2) AS net16, COUNT(*) AS flows
FROM flows WHERE srcaddr LIKE '10.%.%.%' GROUP BY 1 ORDER BY 1
