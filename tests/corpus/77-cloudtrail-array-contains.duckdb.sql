-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, list_contains(CAST(json_extract(rec, '$.tags') AS VARCHAR[]), 'prod') AS prod
FROM events WHERE json_valid(rec) AND json_extract(rec, '$.tags') IS NOT NULL ORDER BY 1
