-- AWS documentation: NODATA and SKIPDATA records, per log status.
SELECT log_status, COUNT(*) AS records, COUNT(DISTINCT interface_id) AS interfaces FROM vpc_flow_logs GROUP BY log_status ORDER BY log_status
