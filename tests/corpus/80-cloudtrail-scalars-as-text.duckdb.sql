-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event, json_extract_string(rec, '$.readOnly') AS read_only,
  json_extract_string(rec, '$.requestParameters.instancesSet.items[0].maxCount') AS max_count,
  CAST(NULL AS VARCHAR) AS identity_object
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL ORDER BY 1
