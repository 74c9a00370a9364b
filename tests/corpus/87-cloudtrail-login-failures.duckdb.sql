-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.userIdentity.userName') AS who, json_extract_string(rec, '$.responseElements.ConsoleLogin') AS outcome,
  json_extract_string(rec, '$.additionalEventData.MFAUsed') AS mfa, 'console.aws.amazon.com' AS console
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') = 'ConsoleLogin'
