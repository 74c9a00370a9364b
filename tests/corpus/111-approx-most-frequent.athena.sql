-- The two most common protocols per action, read from approx_most_frequent's map.
SELECT action, element_at(f, 6) AS tcp, element_at(f, 17) AS udp, cardinality(f) AS kept FROM (
  SELECT action, approx_most_frequent(2, protocol, 100) AS f FROM vpc_flow_logs WHERE action IS NOT NULL GROUP BY action)
ORDER BY action
