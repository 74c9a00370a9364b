-- concat is NULL when an argument is, as || is.
SELECT log_status, COUNT(concat(srcaddr, ':', CAST(srcport AS VARCHAR))) AS endpoints FROM vpc_flow_logs
GROUP BY log_status ORDER BY log_status
