SELECT split_part(dstaddr, '.', 1) AS octet, COUNT(*) AS flows FROM flows WHERE dstaddr LIKE '%.%' GROUP BY 1 ORDER BY flows DESC, octet LIMIT 10
