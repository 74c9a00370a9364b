/*
name: tcp-from-source
version: 1
title: TCP flows from one source
description: >
  The most recent TCP flows sent by one address (AWS integration: TCP traffic for a source).
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
  AND {{ ip_match('srcaddr', ip) }}
  AND protocol = 6
ORDER BY "start" DESC, interface_id, srcaddr, srcport, dstaddr, dstport
LIMIT {{ limit }}
