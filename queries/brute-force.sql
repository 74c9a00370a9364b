/*
name: brute-force
version: 1
title: "Detection: SSH and RDP brute force"
description: >
  Sources making many short or rejected connections to SSH or RDP in one hour: password guessing.
  An attempt is a rejected flow or one of at most `max_packets` packets; a source is listed when
  its busiest hour holds at least `min_attempts`.
params:
  ports:
    type: port
    list: true
    default: [22, 3389]
    description: Login ports
  min_attempts:
    type: int
    default: 30
    min: 1
    max: 100000000
    description: Fewest attempts in one hour from one source to one port
  max_packets:
    type: int
    default: 25
    min: 1
    max: 100000
    description: Most packets in a flow that counts as an attempt
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many source and port pairs to show
fields: [srcaddr, dstaddr, dstport, packets, start, end, action]
tags: [security, detection]
*/
WITH attempts AS (
  SELECT
    srcaddr,
    dstport,
    "start" / 3600 AS hour,
    COUNT(*) AS attempts,
    COUNT(DISTINCT dstaddr) AS targets,
    SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    MIN("start") AS first_start,
    MAX("end") AS last_end
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND dstport IN {{ ports|sql_list }}
    AND (action = 'REJECT' OR packets <= {{ max_packets }})
  GROUP BY srcaddr, dstport, "start" / 3600
)
SELECT
  srcaddr,
  dstport,
  MAX(attempts) AS busiest_hour_attempts,
  SUM(attempts) AS attempts,
  SUM(rejected) AS rejected,
  MAX(targets) AS most_targets,
  from_unixtime(MIN(first_start)) AS first_seen,
  from_unixtime(MAX(last_end)) AS last_seen
FROM attempts
GROUP BY srcaddr, dstport
HAVING MAX(attempts) >= {{ min_attempts }}
ORDER BY busiest_hour_attempts DESC, srcaddr, dstport
LIMIT {{ limit }}
