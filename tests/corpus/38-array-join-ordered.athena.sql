-- The first five destination ports of each source in time order, joined as text.
SELECT srcaddr, array_join(slice(array_agg(dstport ORDER BY start, dstport, dstaddr), 1, 5), ',') AS first_ports
FROM vpc_flow_logs WHERE action = 'REJECT' AND srcaddr LIKE '10.20.%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 12
