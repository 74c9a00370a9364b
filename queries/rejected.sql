/*
name: rejected
version: 1
title: Rejected flows
description: >
  The most recent rejected flows of any protocol (AWS integration: rejected traffic).
params:
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many flows to show
fields: [interface-id, srcaddr, srcport, dstaddr, dstport, protocol, packets, bytes, start, end, action]
tags: [security, aws-integration]
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
  AND action = 'REJECT'
ORDER BY "start" DESC, interface_id, srcaddr, srcport, dstaddr, dstport
LIMIT {{ limit }}
