/*
name: crypto-mining
version: 1
title: "Detection: crypto-mining pool connections"
description: >
  Internal hosts with accepted connections to the ports mining pools listen on (Stratum: 3333,
  4444, 5555, 7777, 9999, 14433, 14444 and Monero's 18081, 45560, 45700). A miner keeps its
  connection for hours, so `hours_active` is telling.
params:
  ports:
    type: port
    list: true
    default: [3333, 4444, 5555, 7777, 9999, 14433, 14444, 18081, 45560, 45700]
    description: Mining pool ports
  min_flows:
    type: int
    default: 3
    min: 1
    max: 100000000
    description: Fewest flows from a host to a pool address
  internal:
    type: cidr
    list: true
    default_from: vpc_cidrs
    description: Internal networks (default vpc_cidrs)
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many host and pool pairs to show
fields: [srcaddr, dstaddr, dstport, bytes, start, end, action]
tags: [security, detection]
*/
SELECT
  srcaddr,
  dstaddr,
  dstport,
  COUNT(*) AS flows,
  SUM(bytes) AS total_bytes,
  COUNT(DISTINCT "start" / 3600) AS hours_active,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'ACCEPT'
  AND dstport IN {{ ports|sql_list }}
  AND {{ cidr_match('srcaddr', internal) }}
  AND NOT {{ cidr_match('dstaddr', internal) }}
GROUP BY srcaddr, dstaddr, dstport
HAVING COUNT(*) >= {{ min_flows }}
ORDER BY hours_active DESC, flows DESC, srcaddr, dstaddr, dstport
LIMIT {{ limit }}
