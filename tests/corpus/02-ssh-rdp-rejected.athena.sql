-- AWS flow-logs Athena integration, SshRdpTraffic, counted per port.
SELECT dstport, COUNT(*) AS attempts, COUNT(DISTINCT srcaddr) AS sources
FROM vpc_flow_logs
WHERE dstport IN (22, 3389) AND action = 'REJECT'
GROUP BY dstport
ORDER BY dstport
