-- Bracketed JSONPath keys, as keys with dashes need.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$["userIdentity"]["type"]') AS identity, json_extract_scalar(rec, '$.requestParameters["x-amz-acl"]') AS acl
FROM events WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL ORDER BY 1, 2
