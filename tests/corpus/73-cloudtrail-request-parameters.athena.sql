-- Seed 004's shape: the bucket of each S3 call from requestParameters.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_extract_scalar(rec, '$.requestParameters.bucketName') AS bucket
FROM events WHERE json_extract_scalar(rec, '$.eventSource') = 's3.amazonaws.com' ORDER BY 1, 2
