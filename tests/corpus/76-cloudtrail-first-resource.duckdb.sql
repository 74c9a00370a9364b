-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, json_extract_string(rec, '$.resources[0].ARN') AS first_arn,
  json_extract_string(rec, '$.resources[1].type') AS second_type
FROM events WHERE json_valid(rec) AND json_extract(rec, '$.resources') IS NOT NULL ORDER BY 1
