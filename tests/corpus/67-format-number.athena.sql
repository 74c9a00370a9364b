-- Byte totals per protocol in units, with format_number.
SELECT protocol, format_number(SUM(bytes)) AS total FROM vpc_flow_logs WHERE log_status = 'OK'
GROUP BY protocol ORDER BY protocol
