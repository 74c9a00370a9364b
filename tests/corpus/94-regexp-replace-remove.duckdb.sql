SELECT regexp_replace(interface_id, '[0-9]', '', 'g') AS letters, COUNT(DISTINCT interface_id) AS interfaces FROM flows
GROUP BY 1 ORDER BY 1
