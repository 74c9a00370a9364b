/*
name: traffic-to
version: 1
title: Flows to one destination
description: >
  The most recent flows received by one address (AWS integration: traffic to a destination address).
params:
  ip:
    type: ip
    description: The address
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many flows to show
fields: [interface-id, srcaddr, srcport, dstaddr, dstport, protocol, packets, bytes, start, end, action]
tags: [investigation, aws-integration]
*/
SELECT
  from_unixtime("start") AS start_time,
  interface_id,
  srcaddr,
  srcport,
  dstaddr,
  dstport,
  {{ protocol_name('protocol') }} AS proto,
  packets,
  bytes,
  action
FROM {{ table }}
WHERE {{ time_filter() }}
  AND {{ ip_match('dstaddr', ip) }}
ORDER BY "start" DESC, interface_id, srcaddr, srcport, dstaddr, dstport
LIMIT {{ limit }}
