SELECT dstport, action, COUNT(*) AS flows FROM flows WHERE dstport IN (22, 3389)
GROUP BY dstport, action ORDER BY dstport, action
