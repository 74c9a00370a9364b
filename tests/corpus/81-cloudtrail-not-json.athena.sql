-- Text that is not JSON gives NULL, never an error, from the extracting functions.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') IS NULL AS unreadable, COUNT(*) AS n FROM events GROUP BY 1 ORDER BY 1
