-- The first resource's ARN, with json_array_get and a JSONPath index.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_extract_scalar(json_array_get(json_extract(rec, '$.resources'), 0), '$.ARN') AS first_arn,
  json_extract_scalar(rec, '$.resources[1].type') AS second_type
FROM events WHERE json_extract(rec, '$.resources') IS NOT NULL ORDER BY 1
