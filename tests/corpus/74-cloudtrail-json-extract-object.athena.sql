-- A nested object as JSON, with json_extract.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_format(json_extract(rec, '$.requestParameters')) AS params
FROM events WHERE json_extract(rec, '$.requestParameters') IS NOT NULL ORDER BY 1
