SELECT log_status, COUNT(CASE WHEN srcport IS NOT NULL AND dstport IS NOT NULL THEN 1 END) AS with_ports,
  MAX(CASE WHEN srcport IS NULL OR dstport IS NULL THEN NULL WHEN srcport < dstport THEN srcport ELSE dstport END) AS lowest_max
FROM flows GROUP BY log_status ORDER BY log_status
