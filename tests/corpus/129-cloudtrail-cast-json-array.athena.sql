-- Tags as an array and session attributes as a map, with CAST from JSON.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event,
  cardinality(CAST(json_extract(rec, '$.tags') AS ARRAY(VARCHAR))) AS tags,
  contains(CAST(json_extract(rec, '$.tags') AS ARRAY(VARCHAR)), 'dev') AS dev,
  CAST(json_extract(rec, '$.userIdentity.sessionContext.attributes') AS MAP(VARCHAR, VARCHAR))['mfaAuthenticated'] AS mfa
FROM events WHERE json_extract(rec, '$.tags') IS NOT NULL ORDER BY 1
