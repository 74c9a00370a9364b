-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, json_array_length(rec, '$.resources') AS resources,
  CASE json_type(rec, '$.requestParameters') WHEN 'OBJECT' THEN len(json_keys(rec, '$.requestParameters')) END AS params
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL ORDER BY 1
