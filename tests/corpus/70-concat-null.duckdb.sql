SELECT log_status, COUNT(srcaddr || ':' || CAST(srcport AS VARCHAR)) AS endpoints FROM flows
GROUP BY log_status ORDER BY log_status
