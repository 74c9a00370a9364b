-- Investigation shape: the distinct ports each rejected source tried, sorted, as an array.
SELECT srcaddr, array_sort(array_distinct(array_agg(dstport))) AS ports FROM vpc_flow_logs
WHERE action = 'REJECT' GROUP BY srcaddr ORDER BY cardinality(array_distinct(array_agg(dstport))) DESC, srcaddr LIMIT 10
