/*
name: top-talkers-pkt
version: 1
title: Top talkers by packet-level source
description: >
  Original packet source addresses (pkt-srcaddr: behind NAT gateways and load balancers) that sent the most bytes (AWS integration: packet-level top talkers).
params:
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many to show
fields: [pkt-srcaddr, packets, bytes, start, end]
tags: [traffic, aws-integration]
*/
SELECT
  pkt_srcaddr,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND pkt_srcaddr IS NOT NULL
  AND pkt_srcaddr <> '-'
GROUP BY pkt_srcaddr
ORDER BY total_bytes DESC, pkt_srcaddr
LIMIT {{ limit }}
