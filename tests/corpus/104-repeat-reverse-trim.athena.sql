-- repeat builds an array; reverse works on strings and arrays; trim_array drops the end.
SELECT cardinality(repeat(action, 3)) AS three, reverse(action) AS backwards, reverse(ARRAY[srcport, dstport])[1] AS dst,
  cardinality(trim_array(ARRAY[srcport, dstport], 1)) AS one
FROM vpc_flow_logs WHERE action IS NOT NULL AND dstport = 22 GROUP BY 1, 2, 3, 4 ORDER BY 2 LIMIT 4
