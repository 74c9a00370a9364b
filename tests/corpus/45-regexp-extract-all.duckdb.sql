SELECT interface_id, len(regexp_extract_all(interface_id, '[0-9]')) AS digits FROM flows
GROUP BY interface_id ORDER BY interface_id
