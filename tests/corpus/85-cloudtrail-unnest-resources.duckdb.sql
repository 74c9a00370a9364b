-- with: cloudtrail-events
SELECT event, arn FROM (SELECT json_extract_string(rec, '$.eventName') AS event, unnest(json_extract_string(rec, '$.resources[*].ARN')) AS arn
FROM events WHERE json_valid(rec)) ORDER BY 1, 2
