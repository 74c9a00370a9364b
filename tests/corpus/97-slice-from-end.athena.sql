-- The last two octets with slice and a negative start.
SELECT array_join(slice(split(dstaddr, '.'), -2, 2), '.') AS host_part, COUNT(*) AS flows FROM vpc_flow_logs
WHERE dstaddr LIKE '10.20.%' GROUP BY 1 ORDER BY flows DESC, host_part LIMIT 8
