-- format with zero padding, hex and fixed decimals.
SELECT format('%05d|%x|%.3f|%-4s|', dstport, dstport, bytes / 1000.0E0, action) AS line FROM vpc_flow_logs
WHERE dstport IN (22, 443) AND action IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 6
