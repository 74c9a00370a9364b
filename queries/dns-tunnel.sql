/*
name: dns-tunnel
version: 1
title: "Detection: DNS tunnelling suspects"
description: >
  Internal hosts sending DNS (port 53, UDP or TCP) to an address that is not one of the
  `resolvers` (at least `min_flows` flows), or an unusual volume of DNS to any address (at least
  `max_bytes`). Tunnels carry data in queries, so they send many, larger packets than lookups do.
params:
  resolvers:
    type: cidr
    list: true
    default: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 8.8.8.8/32, 8.8.4.4/32, 1.1.1.1/32, 1.0.0.1/32, 9.9.9.9/32, 149.112.112.112/32, 208.67.222.222/32, 208.67.220.220/32]
    description: The resolvers hosts may use (default private ranges and the big public resolvers)
  min_flows:
    type: int
    default: 20
    min: 1
    max: 100000000
    description: Fewest DNS flows to a non-resolver
  max_bytes:
    type: int
    default: 52428800
    min: 1
    max: 1000000000000000
    description: DNS bytes from one host to one address that are unusual whoever it is (default 50 MiB)
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
    description: How many host and destination pairs to show
fields: [srcaddr, dstaddr, dstport, protocol, packets, bytes, start, end]
tags: [security, detection]
*/
WITH dns AS (
  SELECT
    srcaddr,
    dstaddr,
    CASE WHEN {{ cidr_match('dstaddr', resolvers) }} THEN 'resolver' ELSE 'not a resolver' END AS destination,
    packets,
    bytes,
    "start",
    "end"
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND dstport = 53
    AND protocol IN (6, 17)
    AND {{ cidr_match('srcaddr', internal) }}
)
SELECT
  srcaddr,
  dstaddr,
  destination,
  COUNT(*) AS flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes,
  ROUND(CAST(SUM(bytes) AS DOUBLE) / SUM(packets), 0) AS bytes_per_packet,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM dns
GROUP BY srcaddr, dstaddr, destination
HAVING (destination = 'not a resolver' AND COUNT(*) >= {{ min_flows }})
  OR SUM(bytes) >= {{ max_bytes }}
ORDER BY total_bytes DESC, srcaddr, dstaddr
LIMIT {{ limit }}
