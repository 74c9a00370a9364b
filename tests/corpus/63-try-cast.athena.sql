-- try(CAST(…)) over text that is sometimes not a number (NODATA's `-`).
SELECT log_status, COUNT(try(CAST(split_part(interface_id, '-', 2) AS BIGINT))) AS numeric_ids, COUNT(*) AS n
FROM vpc_flow_logs GROUP BY log_status ORDER BY log_status
