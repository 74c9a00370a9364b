-- with: cloudtrail-events
SELECT CASE WHEN regexp_matches(json_extract_string(rec, '$.sourceIPAddress'), '^[0-9.]+$')
  THEN json_extract_string(rec, '$.sourceIPAddress') LIKE '10.20.%' END AS internal, COUNT(*) AS calls
FROM events WHERE json_valid(rec) AND json_extract_string(rec, '$.eventName') IS NOT NULL GROUP BY 1 ORDER BY 1 NULLS LAST
