-- How many of each host's ports are ephemeral, with cardinality(filter(...)).
SELECT srcaddr, cardinality(filter(array_distinct(array_agg(srcport)), p -> p >= 32768)) AS ephemeral FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.3%' AND log_status = 'OK' GROUP BY srcaddr ORDER BY srcaddr LIMIT 10
