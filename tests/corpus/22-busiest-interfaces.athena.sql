-- AWS documentation shape: the busiest network interfaces.
SELECT interface_id, COUNT(*) AS flows, SUM(bytes) AS bytes FROM vpc_flow_logs GROUP BY interface_id ORDER BY flows DESC, interface_id LIMIT 10
