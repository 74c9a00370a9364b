-- The last octet of each address with a negative substr start (Trino counts from the end).
SELECT substr(dstaddr, -3) AS tail, COUNT(*) AS flows FROM vpc_flow_logs WHERE dstaddr LIKE '10.20.%'
GROUP BY 1 ORDER BY flows DESC, tail LIMIT 10
