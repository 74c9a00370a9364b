-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, CAST(json_extract(rec, '$.requestParameters') AS VARCHAR) AS params
FROM events WHERE json_valid(rec) AND json_extract(rec, '$.requestParameters') IS NOT NULL ORDER BY 1
