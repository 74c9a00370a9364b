/*
name: bytes-by-pair-pkt
version: 1
title: Total bytes by packet-level source and destination
description: >
  Original packet source/destination pairs (pkt-srcaddr, pkt-dstaddr) that moved the most bytes, largest first (AWS integration: bytes transferred, packet level).
params:
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many pairs to show
fields: [pkt-srcaddr, pkt-dstaddr, packets, bytes, start, end, log-status]
tags: [traffic, aws-integration]
*/
SELECT
  pkt_srcaddr,
  pkt_dstaddr,
  SUM(bytes) AS total_bytes,
  SUM(packets) AS total_packets,
  COUNT(*) AS flows
FROM {{ table }}
WHERE {{ time_filter() }}
  AND log_status = 'OK'
GROUP BY pkt_srcaddr, pkt_dstaddr
ORDER BY total_bytes DESC, pkt_srcaddr, pkt_dstaddr
LIMIT {{ limit }}
