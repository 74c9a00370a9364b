/*
name: reject-top
version: 1
title: Top rejected sources
description: >
  Source addresses with the most rejected flows in the window: who is knocking on closed doors.
  Counts flows, packets, bytes and the distinct destination ports each source tried.
params:
  limit:
    type: int
    default: 25
    min: 1
    max: 10000
    description: How many sources to show
fields: [srcaddr, dstport, packets, bytes, action, start, end]
tags: [security, seed]
*/
SELECT
  srcaddr,
  COUNT(*) AS rejected_flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes,
  COUNT(DISTINCT dstport) AS distinct_ports
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'REJECT'
GROUP BY srcaddr
ORDER BY rejected_flows DESC, srcaddr
LIMIT {{ limit }}
