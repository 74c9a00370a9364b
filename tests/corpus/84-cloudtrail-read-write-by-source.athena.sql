-- Writes per service, with count_if over a JSON boolean.
-- with: cloudtrail-events
SELECT json_extract_scalar(rec, '$.eventSource') AS service, count_if(json_extract_scalar(rec, '$.readOnly') = 'false') AS writes,
  COUNT(*) AS calls FROM events WHERE json_extract_scalar(rec, '$.eventSource') IS NOT NULL GROUP BY 1 ORDER BY 1
