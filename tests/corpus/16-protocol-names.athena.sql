-- Tutorial shape: protocol numbers as names.
SELECT CASE protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' WHEN 1 THEN 'ICMP' ELSE 'other' END AS proto, COUNT(*) AS flows
FROM vpc_flow_logs WHERE protocol IS NOT NULL GROUP BY 1 ORDER BY 1
