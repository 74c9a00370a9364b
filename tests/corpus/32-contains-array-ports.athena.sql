-- AWS's documentation: flows to SSH or RDP with contains(ARRAY[...], dstport).
SELECT dstport, action, COUNT(*) AS flows FROM vpc_flow_logs
WHERE contains(ARRAY[22, 3389], dstport) GROUP BY dstport, action ORDER BY dstport, action
