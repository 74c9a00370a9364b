-- Failed calls by error code (absent for successes).
-- with: cloudtrail-events
SELECT coalesce(json_extract_scalar(rec, '$.errorCode'), '(none)') AS error, COUNT(*) AS calls FROM events
WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL GROUP BY 1 ORDER BY 1
