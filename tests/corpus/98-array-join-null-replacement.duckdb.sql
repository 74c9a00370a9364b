SELECT concat_ws('/', action, log_status) AS plain, coalesce(action, '?') || '/' || coalesce(log_status, '?') AS replaced, COUNT(*) AS n
FROM flows GROUP BY 1, 2 ORDER BY 1, 2
