-- Numbers and booleans come out as text; objects give NULL from json_extract_scalar.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_extract_scalar(rec, '$.readOnly') AS read_only,
  json_extract_scalar(rec, '$.requestParameters.instancesSet.items[0].maxCount') AS max_count,
  json_extract_scalar(rec, '$.userIdentity') AS identity_object
FROM events WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL ORDER BY 1
