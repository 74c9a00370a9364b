-- Console sign-in failures with the MFA flag, from responseElements and additionalEventData.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.userIdentity.userName') AS who, json_extract_scalar(rec, '$.responseElements.ConsoleLogin') AS outcome,
  json_extract_scalar(rec, '$.additionalEventData.MFAUsed') AS mfa,
  url_extract_host(json_extract_scalar(rec, '$.additionalEventData.LoginTo')) AS console
FROM events WHERE json_extract_scalar(rec, '$.eventName') = 'ConsoleLogin'
