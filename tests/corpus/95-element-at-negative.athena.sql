-- The last octet with element_at and a negative index.
SELECT element_at(split(srcaddr, '.'), -1) AS last_octet, COUNT(*) AS flows FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.%' GROUP BY 1 ORDER BY flows DESC, last_octet LIMIT 8
