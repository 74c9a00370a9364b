SELECT split_part(dstaddr, '.', 3) || '.' || split_part(dstaddr, '.', 4) AS host_part, COUNT(*) AS flows FROM flows
WHERE dstaddr LIKE '10.20.%' GROUP BY 1 ORDER BY flows DESC, host_part LIMIT 8
