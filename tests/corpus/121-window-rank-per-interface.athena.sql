-- The top destination of each interface by bytes, with a window rank.
SELECT interface_id, dstaddr, b FROM (
  SELECT interface_id, dstaddr, SUM(bytes) AS b, rank() OVER (PARTITION BY interface_id ORDER BY SUM(bytes) DESC, dstaddr) AS r
  FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY interface_id, dstaddr) WHERE r = 1 ORDER BY interface_id LIMIT 12
