-- Flow sizes in ten buckets, with width_bucket.
SELECT width_bucket(bytes, 0, 100000, 10) AS bucket, COUNT(*) AS flows FROM vpc_flow_logs
WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
