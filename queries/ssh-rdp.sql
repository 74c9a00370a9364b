/*
name: ssh-rdp
version: 1
title: SSH and RDP flows
description: >
  The most recent flows to the SSH and RDP ports, accepted or rejected (AWS integration: SSH/RDP traffic).
params:
  ports:
    type: port
    list: true
    default: [22, 3389]
    description: Destination ports
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
  AND dstport IN {{ ports|sql_list }}
ORDER BY "start" DESC, interface_id, srcaddr, srcport, dstaddr, dstport
LIMIT {{ limit }}
