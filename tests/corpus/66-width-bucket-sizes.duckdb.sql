SELECT CASE WHEN bytes < 0 THEN 0 WHEN bytes >= 100000 THEN 11 ELSE floor(bytes * 10 / 100000)::BIGINT + 1 END AS bucket,
  COUNT(*) AS flows FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
