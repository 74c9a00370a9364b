SELECT srcaddr, coalesce(list_position(list_sort(list_distinct(list(dstport))), 443), 0) AS pos FROM flows
WHERE srcaddr LIKE '10.20.1%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 15
