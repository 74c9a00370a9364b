/*
name: beaconing
version: 1
title: "Detection: beaconing"
description: >
  Internal hosts calling one external address and port at regular intervals, as malware calls
  home: at least `min_flows` accepted flows whose gaps (between flow starts) vary little, the
  standard deviation at most `max_variation` percent of their mean (clockwork is near 0%, people near 100%).
params:
  min_flows:
    type: int
    default: 20
    min: 3
    max: 1000000
    description: Fewest flows from the host to the peer
  max_variation:
    type: int
    default: 20
    min: 1
    max: 100
    description: Most variation of the gaps, in percent (standard deviation over mean)
  min_gap:
    type: duration
    default: 10s
    min: 1s
    max: 1d
    description: Shortest mean gap that counts (faster is a stream, not a beacon)
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
    description: How many host and peer pairs to show
fields: [srcaddr, dstaddr, dstport, start, end, action]
tags: [security, detection]
*/
WITH flows AS (
  SELECT
    srcaddr,
    dstaddr,
    dstport,
    "start",
    CAST("start" - LAG("start") OVER (PARTITION BY srcaddr, dstaddr, dstport ORDER BY "start") AS DOUBLE) AS gap
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND action = 'ACCEPT'
    AND {{ cidr_match('srcaddr', internal) }}
    AND NOT {{ cidr_match('dstaddr', internal) }}
)
SELECT
  srcaddr,
  dstaddr,
  dstport,
  COUNT(*) AS flows,
  ROUND(AVG(gap), 1) AS mean_gap_s,
  ROUND(100 * STDDEV_POP(gap) / AVG(gap), 1) AS gap_variation_pct,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("start")) AS last_seen
FROM flows
GROUP BY srcaddr, dstaddr, dstport
HAVING COUNT(*) >= {{ min_flows }}
  AND AVG(gap) >= {{ min_gap }}
  AND STDDEV_POP(gap) * 100 <= {{ max_variation }} * AVG(gap)
ORDER BY gap_variation_pct, flows DESC, srcaddr, dstaddr, dstport
LIMIT {{ limit }}
