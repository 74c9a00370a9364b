SELECT '123456789012' AS aws_account_id, 'us-east-1' AS aws_region, COUNT(*) AS flows FROM flows
