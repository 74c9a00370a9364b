-- Where 443 falls among each host's sorted ports (0 when absent), with array_position.
SELECT srcaddr, array_position(array_sort(array_distinct(array_agg(dstport))), 443) AS pos FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.1%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 15
