SELECT interface_id, string_agg(DISTINCT action, '+' ORDER BY action) AS actions FROM flows
GROUP BY interface_id ORDER BY interface_id
