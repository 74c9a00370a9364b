-- Calls from inside the VPC, with CIDR contains over a JSON field.
-- with: cloudtrail-events
SELECT contains('10.20.0.0/16', json_extract_scalar(rec, '$.sourceIPAddress')) AS internal, COUNT(*) AS calls
FROM events WHERE json_extract_scalar(rec, '$.eventName') IS NOT NULL GROUP BY 1 ORDER BY 1
