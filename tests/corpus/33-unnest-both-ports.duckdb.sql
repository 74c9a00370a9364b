SELECT port, COUNT(*) AS appearances FROM (
  SELECT srcport AS port FROM flows WHERE log_status = 'OK'
  UNION ALL SELECT dstport FROM flows WHERE log_status = 'OK')
GROUP BY port ORDER BY appearances DESC, port LIMIT 15
