-- url_encode and url_decode over text with spaces and symbols.
SELECT url_encode(action || ' ' || log_status || '/&') AS encoded, url_decode(url_encode(action || ' ' || log_status)) AS back, COUNT(*) AS n
FROM vpc_flow_logs WHERE action IS NOT NULL GROUP BY 1, 2 ORDER BY 1
