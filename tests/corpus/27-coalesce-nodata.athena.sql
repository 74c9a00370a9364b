-- NODATA records have no action: COALESCE names them.
SELECT COALESCE(action, 'NONE') AS action, COUNT(*) AS records FROM vpc_flow_logs GROUP BY 1 ORDER BY 1
