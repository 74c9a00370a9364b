-- Partition columns of the plain layout: account and region.
SELECT aws_account_id, aws_region, COUNT(*) AS flows FROM vpc_flow_logs WHERE aws_account_id = '123456789012' GROUP BY 1, 2 ORDER BY 1, 2
