SELECT dstport, COUNT(*) AS attempts, COUNT(DISTINCT srcaddr) AS sources FROM flows
WHERE dstport IN (22, 3389) AND action = 'REJECT' GROUP BY dstport ORDER BY dstport
