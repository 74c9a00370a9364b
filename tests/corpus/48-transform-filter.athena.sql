-- Lambdas: the well-known ports each host used, doubled and filtered.
SELECT srcaddr, array_sort(filter(array_distinct(array_agg(dstport)), p -> p < 1024)) AS low,
  array_sort(transform(array_distinct(array_agg(dstport)), p -> p * 2)) AS doubled
FROM vpc_flow_logs WHERE srcaddr LIKE '10.20.2%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 8
