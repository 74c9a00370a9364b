-- with: cloudtrail-events
SELECT CASE WHEN json_valid(rec) THEN json_extract_string(rec, '$.userIdentity.arn') END AS who,
  CASE WHEN json_valid(rec) THEN json_extract_string(rec, '$.eventName') END AS what
FROM events ORDER BY 2 NULLS LAST, 1 NULLS LAST
