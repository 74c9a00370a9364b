-- with: cloudtrail-events
SELECT json_extract_string(rec, '$.eventSource') AS service, COUNT(*) FILTER (WHERE json_extract_string(rec, '$.readOnly') = 'false') AS writes,
  COUNT(*) AS calls FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventSource') IS NOT NULL GROUP BY 1 ORDER BY 1
