SELECT srcaddr, list_sort(list_distinct(list(dstport))) AS ports FROM flows
WHERE action = 'REJECT' GROUP BY srcaddr ORDER BY count(DISTINCT dstport) DESC, srcaddr LIMIT 10
