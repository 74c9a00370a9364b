-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.userIdentity.type') AS identity, json_extract_string(rec, '$.requestParameters."x-amz-acl"') AS acl
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL ORDER BY 1 NULLS LAST, 2 NULLS LAST
