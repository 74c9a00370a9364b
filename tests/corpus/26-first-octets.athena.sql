-- Tutorial shape: split_part over addresses.
SELECT split_part(dstaddr, '.', 1) AS octet, COUNT(*) AS flows FROM vpc_flow_logs WHERE dstaddr LIKE '%.%' GROUP BY 1 ORDER BY flows DESC, octet LIMIT 10
