SELECT log_status, COUNT(TRY_CAST(split_part(interface_id, '-', 2) AS BIGINT)) AS numeric_ids, COUNT(*) AS n
FROM flows GROUP BY log_status ORDER BY log_status
