-- Every port a flow touched, source and destination, with CROSS JOIN UNNEST.
SELECT port, COUNT(*) AS appearances FROM vpc_flow_logs
CROSS JOIN UNNEST(ARRAY[srcport, dstport]) AS t(port)
WHERE log_status = 'OK' GROUP BY port ORDER BY appearances DESC, port LIMIT 15
