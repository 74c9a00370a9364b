SELECT srcaddr, list_sort(list_filter(list_distinct(list(dstport)), lambda x: x <> 22)) AS not_ssh FROM flows
WHERE action = 'REJECT' AND srcaddr NOT LIKE '10.%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 10
