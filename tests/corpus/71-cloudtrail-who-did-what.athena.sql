-- CloudTrail as JSON text: who called what, with json_extract_scalar.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.userIdentity.arn') AS who, json_extract_scalar(rec, '$.eventName') AS what
FROM events ORDER BY 2, 1
