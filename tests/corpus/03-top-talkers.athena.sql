-- AWS flow-logs Athena integration, TopTalkers: sources by bytes sent.
SELECT srcaddr, SUM(bytes) AS total_bytes
FROM vpc_flow_logs
GROUP BY srcaddr
ORDER BY total_bytes DESC, srcaddr
LIMIT 10
