-- All ports of all flows per protocol, flattened and deduplicated.
SELECT protocol, cardinality(array_distinct(flatten(array_agg(ARRAY[srcport, dstport])))) AS ports FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY protocol ORDER BY protocol
