/*
name: new-destinations
version: 1
title: "Detection: new external destinations"
description: >
  External addresses that internal hosts reached in the last `recent` of the window but not
  before it: the rest of the window is the baseline (run with --days 8 for a week of baseline
  before the last day). At least `min_flows` flows, so one-off lookups stay out.
params:
  recent:
    type: duration
    default: 1d
    min: 1m
    max: 90d
    description: How much of the window's end counts as new (the rest is the baseline)
  min_flows:
    type: int
    default: 10
    min: 1
    max: 100000000
    description: Fewest flows to a new destination
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
    description: How many destinations to show
fields: [srcaddr, dstaddr, dstport, bytes, start, end, action]
tags: [security, detection]
*/
WITH outbound AS (
  SELECT
    srcaddr,
    dstaddr,
    dstport,
    bytes,
    "start",
    CASE WHEN "start" >= {{ end_of_window() }} - {{ recent }} THEN 0 ELSE 1 END AS in_baseline
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND action = 'ACCEPT'
    AND {{ cidr_match('srcaddr', internal) }}
    AND NOT {{ cidr_match('dstaddr', internal) }}
)
SELECT
  dstaddr,
  COUNT(DISTINCT srcaddr) AS sources,
  COUNT(DISTINCT dstport) AS ports,
  COUNT(*) AS flows,
  SUM(bytes) AS total_bytes,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("start")) AS last_seen
FROM outbound
GROUP BY dstaddr
HAVING SUM(in_baseline) = 0
  AND COUNT(*) >= {{ min_flows }}
ORDER BY flows DESC, dstaddr
LIMIT {{ limit }}
