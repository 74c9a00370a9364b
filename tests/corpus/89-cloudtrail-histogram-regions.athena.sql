-- Calls per region, as a histogram read by key.
-- with: cloudtrail-events
SELECT element_at(h, 'us-east-1') AS us_east_1, element_at(h, 'eu-west-1') AS eu_west_1, cardinality(h) AS regions FROM (
  SELECT histogram(json_extract_scalar(rec, '$.awsRegion')) AS h FROM events)
