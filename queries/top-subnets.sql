/*
name: top-subnets
version: 1
title: Top talking subnets
description: >
  Subnets whose interfaces moved the most bytes (AWS integration: top talking subnets).
params:
  limit:
    type: int
    default: 10
    min: 1
    max: 100000
    description: How many to show
fields: [subnet-id, packets, bytes, start, end]
tags: [traffic, aws-integration]
*/
SELECT
  subnet_id,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND subnet_id IS NOT NULL
  AND subnet_id <> '-'
GROUP BY subnet_id
ORDER BY total_bytes DESC, subnet_id
LIMIT {{ limit }}
