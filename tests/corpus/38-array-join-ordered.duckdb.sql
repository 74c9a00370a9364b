SELECT srcaddr, array_to_string(list_slice(list(dstport ORDER BY start, dstport, dstaddr), 1, 5), ',') AS first_ports
FROM flows WHERE action = 'REJECT' AND srcaddr LIKE '10.20.%' GROUP BY srcaddr ORDER BY srcaddr LIMIT 12
