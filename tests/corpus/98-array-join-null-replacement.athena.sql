-- array_join leaves NULLs out, or replaces them when asked.
SELECT array_join(ARRAY[action, log_status], '/') AS plain, array_join(ARRAY[action, log_status], '/', '?') AS replaced, COUNT(*) AS n
FROM vpc_flow_logs GROUP BY 1, 2 ORDER BY 1, 2
