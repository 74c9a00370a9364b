-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, json_type(rec, '$.eventSource') NOT IN ('OBJECT', 'ARRAY') AS source_scalar,
  json_type(rec, '$.userIdentity') NOT IN ('OBJECT', 'ARRAY') AS identity_scalar
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL ORDER BY 1
