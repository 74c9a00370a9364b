-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.userIdentity.sessionContext.sessionIssuer.userName') AS role,
  json_extract_string(rec, '$.userIdentity.sessionContext.attributes.mfaAuthenticated') AS mfa, COUNT(*) AS calls
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.userIdentity.type') = 'AssumedRole' GROUP BY 1, 2 ORDER BY 1
