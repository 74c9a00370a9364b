-- Which fields are scalars, with is_json_scalar.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, is_json_scalar(json_extract(rec, '$.eventSource')) AS source_scalar,
  is_json_scalar(json_extract(rec, '$.userIdentity')) AS identity_scalar
FROM events WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL ORDER BY 1
