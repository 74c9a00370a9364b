-- How many resources each call named, with json_size and json_array_length.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_array_length(json_extract(rec, '$.resources')) AS resources,
  json_size(rec, '$.requestParameters') AS params FROM events WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL ORDER BY 1
