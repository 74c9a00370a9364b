SELECT split_part(srcaddr, '.', 4) AS last_octet, COUNT(*) AS flows FROM flows
WHERE srcaddr LIKE '10.20.%' GROUP BY 1 ORDER BY flows DESC, last_octet LIMIT 8
