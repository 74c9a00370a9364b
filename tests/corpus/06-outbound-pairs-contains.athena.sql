-- The Drill article's outbound question, written with Trino's IP functions.
SELECT srcaddr, dstaddr, protocol, dstport, SUM(bytes) AS bytes
FROM vpc_flow_logs
WHERE contains('10.20.0.0/16', CAST(srcaddr AS IPADDRESS))
  AND NOT contains('10.20.0.0/16', CAST(dstaddr AS IPADDRESS))
  AND dstport < 1024
GROUP BY 1, 2, 3, 4
ORDER BY bytes DESC, srcaddr, dstaddr, protocol, dstport
