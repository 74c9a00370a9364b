-- Blog shape: accepted well-known ports other than web.
SELECT dstport, COUNT(*) AS flows FROM vpc_flow_logs WHERE action = 'ACCEPT' AND dstport NOT IN (80, 443) AND dstport < 1024
GROUP BY dstport ORDER BY flows DESC, dstport
