SELECT printf('%s -> %s:%d (%,d bytes)', srcaddr, dstaddr, dstport, bytes) AS line FROM flows
WHERE action = 'REJECT' AND bytes > 0 ORDER BY bytes DESC, srcaddr, dstaddr, dstport LIMIT 10
