SELECT replace(url_encode(action || ' ' || log_status || '/&'), '%20', '+') AS encoded, action || ' ' || log_status AS back, COUNT(*) AS n
FROM flows WHERE action IS NOT NULL GROUP BY 1, 2 ORDER BY 1
