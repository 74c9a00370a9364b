SELECT interface_id, COUNT(*) AS flows, SUM(bytes) AS bytes FROM flows GROUP BY interface_id ORDER BY flows DESC, interface_id LIMIT 10
