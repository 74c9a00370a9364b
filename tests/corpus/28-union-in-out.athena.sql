-- Tutorial shape: outbound and inbound flow counts with UNION ALL.
SELECT 'out' AS direction, COUNT(*) AS flows FROM vpc_flow_logs WHERE srcaddr LIKE '10.20.%'
UNION ALL
SELECT 'in' AS direction, COUNT(*) AS flows FROM vpc_flow_logs WHERE dstaddr LIKE '10.20.%'
ORDER BY direction
