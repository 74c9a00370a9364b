-- with: cloudtrail-events
SELECT split_part(json_extract_string(rec, '$.userIdentity.arn'), ':', 5) AS account_from_arn,
  json_extract_string(rec, '$.userIdentity.accountId') AS account, COUNT(*) AS calls
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.userIdentity.arn') IS NOT NULL GROUP BY 1, 2 ORDER BY 1
