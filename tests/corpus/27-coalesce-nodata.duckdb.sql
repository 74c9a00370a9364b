SELECT COALESCE(action, 'NONE') AS action, COUNT(*) AS records FROM flows GROUP BY 1 ORDER BY 1
