SELECT interface_id, COUNT(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
  NULLIF(COUNT(*) FILTER (WHERE action = 'REJECT'), 0) AS rejected FROM flows GROUP BY interface_id ORDER BY interface_id
