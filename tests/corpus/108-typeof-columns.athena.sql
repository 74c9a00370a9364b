-- typeof names columns' types as Athena does.
SELECT typeof(srcaddr) AS a, typeof(bytes) AS b, typeof(ARRAY[bytes]) AS c,
  (SELECT typeof(histogram(action)) FROM vpc_flow_logs) AS d, COUNT(*) AS n
FROM vpc_flow_logs GROUP BY 1, 2, 3
