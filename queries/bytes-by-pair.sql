/*
name: bytes-by-pair
version: 1
title: Total bytes by source and destination
description: >
  Source/destination pairs that moved the most bytes, largest first (AWS's generated version sorts ascending, which hides the heavy hitters).
params:
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many pairs to show
fields: [srcaddr, dstaddr, packets, bytes, start, end, log-status]
tags: [traffic, seed, aws-integration]
*/
SELECT
  srcaddr,
  dstaddr,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND log_status = 'OK'
GROUP BY srcaddr, dstaddr
ORDER BY total_bytes DESC, srcaddr, dstaddr
LIMIT {{ limit }}
