-- Traffic labelled in or out with if().
SELECT if(srcaddr LIKE '10.20.%', 'outbound', 'inbound') AS direction, if(action = 'REJECT', 1) AS rejected,
  COUNT(*) AS flows FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1, 2 ORDER BY 1, 2
