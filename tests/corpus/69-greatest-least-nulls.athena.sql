-- greatest and least are NULL when an argument is (NODATA rows).
SELECT log_status, COUNT(greatest(srcport, dstport)) AS with_ports, MAX(least(srcport, dstport)) AS lowest_max
FROM vpc_flow_logs GROUP BY log_status ORDER BY log_status
