WITH cloudtrail AS (
  SELECT 'GetObject' AS eventname, {'type': 'IAMUser', 'arn': 'arn:aws:iam::111122223333:user/alice'} AS useridentity,
    [{'arn': 'arn:aws:s3:::logs-bucket/a.txt', 'type': 'AWS::S3::Object'}, {'arn': 'arn:aws:s3:::logs-bucket', 'type': 'AWS::S3::Bucket'}] AS resources
  UNION ALL
  SELECT 'RunInstances', {'type': 'AssumedRole', 'arn': 'arn:aws:sts::111122223333:assumed-role/Admin/bob'},
    [{'arn': 'arn:aws:ec2:eu-west-1:111122223333:instance/i-01', 'type': 'AWS::EC2::Instance'}]
)
SELECT eventname, identity, r.type AS resource_type, r.arn AS resource FROM (
  SELECT eventname, useridentity.type AS identity, unnest(resources) AS r FROM cloudtrail)
ORDER BY eventname, resource
