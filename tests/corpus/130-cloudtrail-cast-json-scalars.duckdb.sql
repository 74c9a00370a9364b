-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event,
  json_extract_string(rec, '$.readOnly') AS ro,
  CAST(json_extract(rec, '$.readOnly') AS BOOLEAN) AS ro_bool,
  json_extract_string(rec, '$.requestParameters.bucketName') AS bucket,
  CAST(NULL AS VARCHAR) AS params,
  CAST(json_extract(rec, '$.requestParameters.instancesSet.items[0].maxCount') AS BIGINT) + 1 AS more
FROM events
WHERE json_valid(rec) AND json_extract(rec, '$.eventName') IS NOT NULL ORDER BY 1
