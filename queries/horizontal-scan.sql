/*
name: horizontal-scan
version: 1
title: "Detection: horizontal port scans (sweeps)"
description: >
  One source probing one port on many destinations: rejected flows, or flows of a few packets to
  an internal address, to at least `min_targets` distinct addresses. An internal source sweeping
  its own network (445, 22, 3389) is how worms and intruders look for their next host.
params:
  min_targets:
    type: int
    default: 25
    min: 2
    max: 1000000
    description: Fewest distinct destinations probed on one port
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
    description: How many source and port pairs to show
fields: [srcaddr, dstaddr, dstport, packets, start, end, action]
tags: [security, detection]
*/
SELECT
  srcaddr,
  dstport,
  CASE WHEN {{ cidr_match('srcaddr', internal) }} THEN 'internal' ELSE 'external' END AS source,
  COUNT(DISTINCT dstaddr) AS targets,
  COUNT(*) AS probes,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM {{ table }}
WHERE {{ time_filter() }}
  AND (action = 'REJECT' OR (packets <= {{ max_packets }} AND {{ cidr_match('dstaddr', internal) }}))
GROUP BY srcaddr, dstport
HAVING COUNT(DISTINCT dstaddr) >= {{ min_targets }}
ORDER BY targets DESC, srcaddr, dstport
LIMIT {{ limit }}
