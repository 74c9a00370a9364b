-- Protocol names by subscripting a map literal (every key present).
SELECT MAP(ARRAY[1, 6, 17, 58], ARRAY['ICMP', 'TCP', 'UDP', 'ICMPv6'])[protocol] AS proto, COUNT(*) AS flows FROM vpc_flow_logs
WHERE protocol IN (1, 6, 17, 58) GROUP BY 1 ORDER BY 1
