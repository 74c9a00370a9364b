-- The role behind each assumed-role call, four levels down.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.userIdentity.sessionContext.sessionIssuer.userName') AS role,
  json_extract_scalar(rec, '$.userIdentity.sessionContext.attributes.mfaAuthenticated') AS mfa, COUNT(*) AS calls
FROM events WHERE json_extract_scalar(rec, '$.userIdentity.type') = 'AssumedRole' GROUP BY 1, 2 ORDER BY 1
