SELECT CAST(dstport AS VARCHAR) || '/tcp' AS service, {'port': dstport, 'verdict': action} AS r, COUNT(*) AS flows FROM flows
WHERE dstport IN (22, 443) AND action IS NOT NULL AND protocol = 6 GROUP BY 1, 2 ORDER BY 1, 3
