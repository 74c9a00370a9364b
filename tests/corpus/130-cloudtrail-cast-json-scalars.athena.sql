-- A JSON value cast to a scalar reads the JSON, as Trino's casts from json do: a string is its
-- text without quotes, through a subquery too; an object does not convert (NULL with TRY_CAST).
-- with: cloudtrail-events
SELECT CAST(ev AS VARCHAR) AS event,
  CAST(json_extract(rec, '$.readOnly') AS VARCHAR) AS ro,
  CAST(json_extract(rec, '$.readOnly') AS BOOLEAN) AS ro_bool,
  CAST(json_extract(rec, '$.requestParameters.bucketName') AS VARCHAR) AS bucket,
  TRY_CAST(json_extract(rec, '$.requestParameters') AS VARCHAR) AS params,
  CAST(json_extract(rec, '$.requestParameters.instancesSet.items[0].maxCount') AS BIGINT) + 1 AS more
FROM (SELECT rec, json_extract(rec, '$.eventName') AS ev FROM events)
WHERE ev IS NOT NULL ORDER BY 1
