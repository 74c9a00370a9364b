SELECT CASE WHEN srcaddr LIKE '10.20.%' THEN 'outbound' ELSE 'inbound' END AS direction,
  CASE WHEN action = 'REJECT' THEN 1 END AS rejected, COUNT(*) AS flows FROM flows WHERE log_status = 'OK'
GROUP BY 1, 2 ORDER BY 1, 2
