SELECT isodow(strptime(day, '%Y/%m/%d')) AS dow, day, interface_id, srcaddr, action, protocol
FROM flows WHERE action = 'REJECT' AND protocol = 6
ORDER BY day, interface_id, srcaddr, dow, action, protocol LIMIT 100
