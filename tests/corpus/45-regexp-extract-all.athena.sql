-- The digits of interface ids, with regexp_extract_all.
SELECT interface_id, cardinality(regexp_extract_all(interface_id, '[0-9]')) AS digits FROM vpc_flow_logs
GROUP BY interface_id ORDER BY interface_id
