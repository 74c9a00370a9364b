-- Arrays of arrays print nested.
SELECT ARRAY[ARRAY[srcport], ARRAY[dstport, protocol]] AS nested, COUNT(*) AS n FROM vpc_flow_logs
WHERE dstport = 3389 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5
