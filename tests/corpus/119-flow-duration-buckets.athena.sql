-- How long flows last, in minutes, with width_bucket over end - start.
SELECT width_bucket("end" - start, 0, 600, 10) AS bucket, COUNT(*) AS flows FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
