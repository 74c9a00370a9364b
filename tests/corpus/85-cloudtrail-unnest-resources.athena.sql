-- Every resource ARN of every call: UNNEST over positions, json_array_get at each.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventName') AS event, json_extract_scalar(json_array_get(json_extract(rec, '$.resources'), i), '$.ARN') AS arn
FROM events CROSS JOIN UNNEST(sequence(0, json_array_length(json_extract(rec, '$.resources')) - 1)) AS t(i)
WHERE json_array_length(json_extract(rec, '$.resources')) > 0 ORDER BY 1, 2
