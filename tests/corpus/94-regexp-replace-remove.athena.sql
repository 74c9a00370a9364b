-- Digits removed from interface ids (every one), with two-argument regexp_replace.
SELECT regexp_replace(interface_id, '[0-9]') AS letters, COUNT(DISTINCT interface_id) AS interfaces FROM vpc_flow_logs
GROUP BY 1 ORDER BY 1
