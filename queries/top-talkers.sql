/*
name: top-talkers
version: 1
title: Top talkers
description: >
  Source addresses that sent the most bytes (AWS integration: top talkers).
params:
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many to show
fields: [srcaddr, packets, bytes, start, end]
tags: [traffic, aws-integration]
*/
SELECT
  srcaddr,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND srcaddr IS NOT NULL
  AND srcaddr <> '-'
GROUP BY srcaddr
ORDER BY total_bytes DESC, srcaddr
LIMIT {{ limit }}
