-- Each identity's latest call, with max_by over the ISO event time.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.userIdentity.type') AS identity, max_by(json_extract_scalar(rec, '$.eventName'), json_extract_scalar(rec, '$.eventTime')) AS latest
FROM events WHERE json_extract_scalar(rec, '$.userIdentity.type') IS NOT NULL GROUP BY 1 ORDER BY 1
