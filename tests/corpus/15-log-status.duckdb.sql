SELECT log_status, COUNT(*) AS records, COUNT(DISTINCT interface_id) AS interfaces FROM flows GROUP BY log_status ORDER BY log_status
