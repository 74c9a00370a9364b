SELECT srcaddr, list_sort(list_filter(list_distinct(list(dstport)), lambda p: p < 1024)) AS low,
  list_sort(list_transform(list_distinct(list(dstport)), lambda p: p * 2)) AS doubled
FROM flows WHERE srcaddr LIKE '10.20.2%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 8
