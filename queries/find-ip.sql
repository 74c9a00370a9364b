/*
name: find-ip
version: 2
title: Every flow touching an address
description: >
  Every flow where the address is the source or the destination, most recent first. `address_was`
  says which side the address was on: `source (sent)` when it sent the flow, `destination
  (received)` when it received it, whatever side of the network either host is. When as many flows
  as `limit` come back, athq says that more may match.
params:
  ip:
    type: ip
    description: The address to look for
  limit:
    type: int
    default: 1000
    min: 1
    max: 100000
    description: How many flows to show
fields: [interface-id, srcaddr, srcport, dstaddr, dstport, protocol, packets, bytes, start, end, action]
tags: [investigation]
*/
SELECT
  CASE WHEN {{ ip_match('srcaddr', ip) }} THEN 'source (sent)' ELSE 'destination (received)' END AS address_was,
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
  AND ({{ ip_match('srcaddr', ip) }} OR {{ ip_match('dstaddr', ip) }})
ORDER BY "start" DESC, interface_id, srcaddr, srcport, dstaddr, dstport
LIMIT {{ limit }}
