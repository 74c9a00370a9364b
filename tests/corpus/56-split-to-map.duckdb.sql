SELECT CAST(protocol AS VARCHAR) AS proto, CAST(dstport AS VARCHAR) AS port, COUNT(*) AS flows FROM flows
WHERE dstport IN (22, 443) AND log_status = 'OK' GROUP BY 1, 2 ORDER BY 1, 2
