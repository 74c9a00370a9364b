/*
name: vertical-scan
version: 1
title: "Detection: vertical port scans"
description: >
  One source probing many ports of one destination: rejected flows, or flows of a few packets to an
  internal address, to at least `min_ports` distinct ports. Says whether the source is internal
  (a compromised host looking around) or external.
params:
  min_ports:
    type: int
    default: 25
    min: 2
    max: 65536
    description: Fewest distinct ports probed on one destination
  max_packets:
    type: int
    default: 3
    min: 1
    max: 1000
    description: Most packets in an accepted flow to an internal address that still counts as a probe
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
    description: How many source and destination pairs to show
fields: [srcaddr, dstaddr, dstport, packets, start, end, action]
tags: [security, detection]
*/
SELECT
  srcaddr,
  dstaddr,
  CASE WHEN {{ cidr_match('srcaddr', internal) }} THEN 'internal' ELSE 'external' END AS source,
  COUNT(DISTINCT dstport) AS ports,
  COUNT(*) AS probes,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM {{ table }}
WHERE {{ time_filter() }}
  AND (action = 'REJECT' OR (packets <= {{ max_packets }} AND {{ cidr_match('dstaddr', internal) }}))
GROUP BY srcaddr, dstaddr
HAVING COUNT(DISTINCT dstport) >= {{ min_ports }}
ORDER BY ports DESC, srcaddr, dstaddr
LIMIT {{ limit }}
