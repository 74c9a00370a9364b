-- Share of rejected flows per destination port, for ports with enough traffic.
SELECT dstport, COUNT(*) AS flows, round(100.0E0 * count_if(action = 'REJECT') / COUNT(*), 2) AS rejected_pct FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY dstport HAVING COUNT(*) >= 50 ORDER BY rejected_pct DESC, dstport LIMIT 10
