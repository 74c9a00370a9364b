-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.userIdentity.type') AS identity, arg_max(json_extract_string(rec, '$.eventName'), json_extract_string(rec, '$.eventTime')) AS latest
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.userIdentity.type') IS NOT NULL GROUP BY 1 ORDER BY 1
