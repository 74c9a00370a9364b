-- CloudTrail as Athena's CloudTrail table has it: useridentity a ROW (field access with a dot),
-- resources an ARRAY of ROWs (CROSS JOIN UNNEST into its fields).
WITH cloudtrail AS (
  SELECT 'GetObject' AS eventname, CAST(ROW('IAMUser', 'arn:aws:iam::111122223333:user/alice') AS ROW(type VARCHAR, arn VARCHAR)) AS useridentity,
    ARRAY[CAST(ROW('arn:aws:s3:::logs-bucket/a.txt', 'AWS::S3::Object') AS ROW(arn VARCHAR, type VARCHAR)),
          CAST(ROW('arn:aws:s3:::logs-bucket', 'AWS::S3::Bucket') AS ROW(arn VARCHAR, type VARCHAR))] AS resources
  UNION ALL
  SELECT 'RunInstances', CAST(ROW('AssumedRole', 'arn:aws:sts::111122223333:assumed-role/Admin/bob') AS ROW(type VARCHAR, arn VARCHAR)),
    ARRAY[CAST(ROW('arn:aws:ec2:eu-west-1:111122223333:instance/i-01', 'AWS::EC2::Instance') AS ROW(arn VARCHAR, type VARCHAR))]
)
SELECT eventname, useridentity.type AS identity, r.type AS resource_type, r.arn AS resource
FROM cloudtrail CROSS JOIN UNNEST(resources) AS r(arn, type)
ORDER BY eventname, resource
