/*
name: accepted-top-pairs
version: 1
title: Top accepted source/destination pairs
description: >
  Source/destination pairs with the most accepted flows.
params:
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many pairs to show
fields: [srcaddr, dstaddr, packets, bytes, start, end, action]
tags: [traffic, seed]
*/
SELECT
  srcaddr,
  dstaddr,
  COUNT(*) AS accepted_flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'ACCEPT'
GROUP BY srcaddr, dstaddr
ORDER BY accepted_flows DESC, srcaddr, dstaddr
LIMIT {{ limit }}
