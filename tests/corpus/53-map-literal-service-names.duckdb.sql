SELECT CASE dstport WHEN 22 THEN 'ssh' WHEN 53 THEN 'dns' WHEN 80 THEN 'http' WHEN 443 THEN 'https' ELSE 'other' END AS service,
  COUNT(*) AS flows FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY flows DESC, service
