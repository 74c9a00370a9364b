SELECT dstport, COUNT(*) AS flows, round(100.0 * COUNT(*) FILTER (WHERE action = 'REJECT') / COUNT(*), 2) AS rejected_pct FROM flows
WHERE log_status = 'OK' GROUP BY dstport HAVING COUNT(*) >= 50 ORDER BY rejected_pct DESC, dstport LIMIT 10
