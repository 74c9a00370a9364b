-- Each rejected source's distinct ports other than 22.
SELECT srcaddr, array_sort(array_remove(array_distinct(array_agg(dstport)), 22)) AS not_ssh FROM vpc_flow_logs
WHERE action = 'REJECT' AND srcaddr NOT LIKE '10.%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 10
