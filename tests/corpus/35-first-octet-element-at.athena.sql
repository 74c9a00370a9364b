-- Sources by first octet, with element_at over split.
SELECT element_at(split(srcaddr, '.'), 1) AS first_octet, COUNT(*) AS flows FROM vpc_flow_logs
WHERE srcaddr LIKE '%.%.%.%' GROUP BY 1 ORDER BY flows DESC, first_octet LIMIT 10
