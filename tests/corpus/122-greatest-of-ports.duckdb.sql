SELECT CASE WHEN srcport < dstport THEN srcport ELSE dstport END AS service_port, COUNT(*) AS flows FROM flows
WHERE protocol = 6 AND log_status = 'OK' GROUP BY 1 ORDER BY flows DESC, service_port LIMIT 10
