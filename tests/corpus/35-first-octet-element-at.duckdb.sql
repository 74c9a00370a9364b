SELECT string_split(srcaddr, '.')[1] AS first_octet, COUNT(*) AS flows FROM flows
WHERE srcaddr LIKE '%.%.%.%' GROUP BY 1 ORDER BY flows DESC, first_octet LIMIT 10
