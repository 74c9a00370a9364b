SELECT 'https' AS scheme, dstaddr AS host, dstport AS port, '/flows/' || action AS path, CAST(protocol AS VARCHAR) AS p
FROM flows WHERE dstport = 443 AND dstaddr LIKE '%.%' AND log_status = 'OK' ORDER BY host, path, p LIMIT 8
