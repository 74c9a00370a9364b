-- with: cloudtrail-events
SELECT coalesce(json_extract_string(rec, '$.errorCode'), '(none)') AS error, COUNT(*) AS calls FROM events
WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL GROUP BY 1 ORDER BY 1
