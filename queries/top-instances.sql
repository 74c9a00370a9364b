/*
name: top-instances
version: 1
title: Top talking instances
description: >
  EC2 instances whose interfaces moved the most bytes (AWS integration: top talking instances).
params:
  limit:
    type: int
    default: 10
    min: 1
    max: 100000
    description: How many to show
fields: [instance-id, packets, bytes, start, end]
tags: [traffic, aws-integration]
*/
SELECT
  instance_id,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND instance_id IS NOT NULL
  AND instance_id <> '-'
GROUP BY instance_id
ORDER BY total_bytes DESC, instance_id
LIMIT {{ limit }}
