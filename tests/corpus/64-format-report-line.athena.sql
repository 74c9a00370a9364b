-- A report line built with format().
SELECT format('%s -> %s:%d (%,d bytes)', srcaddr, dstaddr, dstport, bytes) AS line FROM vpc_flow_logs
WHERE action = 'REJECT' AND bytes > 0 ORDER BY bytes DESC, srcaddr, dstaddr, dstport LIMIT 10
