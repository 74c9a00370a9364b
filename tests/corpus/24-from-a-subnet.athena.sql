-- AWS flow-logs Athena integration, TrafficFrom, for a network with Trino's contains.
SELECT dstaddr, SUM(bytes) AS bytes FROM vpc_flow_logs WHERE contains('10.20.0.0/17', CAST(srcaddr AS IPADDRESS))
GROUP BY dstaddr ORDER BY bytes DESC, dstaddr LIMIT 20
