-- with: cloudtrail-events
SELECT CAST(json('{ "a" : [1, 2, {"b": null}], "c": "x" }') AS VARCHAR) AS canonical, CAST(json_extract(rec, '$.tags') AS VARCHAR) AS tags
FROM events WHERE json_valid(rec) AND json_extract(rec, '$.tags') IS NOT NULL ORDER BY 2
