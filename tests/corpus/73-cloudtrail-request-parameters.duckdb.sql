-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, json_extract_string(rec, '$.requestParameters.bucketName') AS bucket
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventSource') = 's3.amazonaws.com' ORDER BY 1, 2
