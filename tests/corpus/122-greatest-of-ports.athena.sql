-- The higher port of each flow (the service side is usually the lower), with greatest and least.
SELECT least(srcport, dstport) AS service_port, COUNT(*) AS flows FROM vpc_flow_logs
WHERE protocol = 6 AND log_status = 'OK' GROUP BY 1 ORDER BY flows DESC, service_port LIMIT 10
