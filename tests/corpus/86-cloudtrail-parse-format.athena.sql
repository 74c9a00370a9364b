-- json_parse canonicalises text (no spaces); json_format gives it back.
-- with: cloudtrail-events
SELECT json_format(json_parse('{ "a" : [1, 2, {"b": null}], "c": "x" }')) AS canonical, json_format(json_extract(rec, '$.tags')) AS tags
FROM events WHERE json_extract(rec, '$.tags') IS NOT NULL ORDER BY 2
