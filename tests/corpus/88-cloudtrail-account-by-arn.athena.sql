-- Accounts from ARNs, with split and element_at, against the userIdentity field.
-- with: cloudtrail-events
SELECT element_at(split(json_extract_scalar(rec, '$.userIdentity.arn'), ':'), 5) AS account_from_arn,
  json_extract_scalar(rec, '$.userIdentity.accountId') AS account, COUNT(*) AS calls
FROM events WHERE json_extract_scalar(rec, '$.userIdentity.arn') IS NOT NULL GROUP BY 1, 2 ORDER BY 1
