SELECT protocol, COUNT(DISTINCT p) AS ports FROM (
  SELECT protocol, srcport AS p FROM flows WHERE log_status = 'OK'
  UNION ALL SELECT protocol, dstport FROM flows WHERE log_status = 'OK')
GROUP BY protocol ORDER BY protocol
