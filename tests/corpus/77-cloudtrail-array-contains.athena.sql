-- Calls tagged prod, with json_array_contains.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_array_contains(json_extract(rec, '$.tags'), 'prod') AS prod
FROM events WHERE json_extract(rec, '$.tags') IS NOT NULL ORDER BY 1
