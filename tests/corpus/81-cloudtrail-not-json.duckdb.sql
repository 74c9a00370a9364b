-- with: cloudtrail-events
SELECT CASE WHEN json_valid(rec) THEN json_extract_string(rec, '$.eventName') END IS NULL AS unreadable, COUNT(*) AS n
FROM events GROUP BY 1 ORDER BY 1
