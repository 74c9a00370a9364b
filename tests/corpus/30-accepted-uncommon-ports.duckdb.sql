SELECT dstport, COUNT(*) AS flows FROM flows WHERE action = 'ACCEPT' AND dstport NOT IN (80, 443) AND dstport < 1024
GROUP BY dstport ORDER BY flows DESC, dstport
