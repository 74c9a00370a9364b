-- Common tutorial shape: accepted and rejected flows per internal host, with count_if.
SELECT srcaddr, count_if(action = 'ACCEPT') AS accepted, count_if(action = 'REJECT') AS rejected
FROM vpc_flow_logs
WHERE srcaddr LIKE '10.20.%'
GROUP BY srcaddr
ORDER BY rejected DESC, srcaddr
LIMIT 20
