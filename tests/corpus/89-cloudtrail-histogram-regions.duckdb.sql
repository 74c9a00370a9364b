-- with: cloudtrail-events
SELECT COUNT(*) FILTER (WHERE r = 'us-east-1') AS us_east_1, COUNT(*) FILTER (WHERE r = 'eu-west-1') AS eu_west_1, COUNT(DISTINCT r) AS regions
FROM (SELECT json_extract_string(rec, '$.awsRegion') AS r FROM events WHERE json_valid(rec))
