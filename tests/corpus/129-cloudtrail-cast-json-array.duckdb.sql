-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventName') AS event,
  len(CAST(json_extract(rec, '$.tags') AS VARCHAR[])) AS tags,
  list_contains(CAST(json_extract(rec, '$.tags') AS VARCHAR[]), 'dev') AS dev,
  json_extract_string(rec, '$.userIdentity.sessionContext.attributes.mfaAuthenticated') AS mfa
FROM events WHERE json_valid(rec) AND json_extract(rec, '$.tags') IS NOT NULL ORDER BY 1
