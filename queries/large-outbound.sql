/*
name: large-outbound
version: 1
title: "Detection: large outbound transfers"
description: >
  Hours in which an internal host sent far more to the internet than it usually does: at least
  `min_bytes`, and at least `factor` times the host's median hour in the window. Exfiltration
  and runaway backups look alike here; the peers column tells them apart.
params:
  min_bytes:
    type: int
    default: 1073741824
    min: 1
    max: 1000000000000000
    description: Fewest bytes out in one hour (default 1 GiB)
  factor:
    type: int
    default: 10
    min: 2
    max: 1000000
    description: How many times the host's median hour
  min_hours:
    type: int
    default: 6
    min: 1
    max: 10000
    description: Fewest hours with traffic a host needs for its median to count
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
    description: How many host hours to show
fields: [srcaddr, dstaddr, bytes, start, end, action]
tags: [security, detection]
*/
WITH hourly AS (
  SELECT
    srcaddr,
    ("start" / 3600) * 3600 AS hour,
    SUM(bytes) AS bytes_out,
    COUNT(DISTINCT dstaddr) AS peers
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND action = 'ACCEPT'
    AND {{ cidr_match('srcaddr', internal) }}
    AND NOT {{ cidr_match('dstaddr', internal) }}
  GROUP BY srcaddr, ("start" / 3600) * 3600
),
usual AS (
  SELECT srcaddr, {{ median('bytes_out') }} AS median_bytes, COUNT(*) AS hours
  FROM hourly
  GROUP BY srcaddr
)
SELECT
  h.srcaddr,
  from_unixtime(h.hour) AS hour_start,
  h.bytes_out,
  CAST(u.median_bytes AS BIGINT) AS median_hour_bytes,
  ROUND(CAST(h.bytes_out AS DOUBLE) / u.median_bytes, 1) AS times_median,
  h.peers
FROM hourly h
JOIN usual u ON h.srcaddr = u.srcaddr
WHERE u.hours >= {{ min_hours }}
  AND h.bytes_out >= {{ min_bytes }}
  AND h.bytes_out >= {{ factor }} * u.median_bytes
ORDER BY h.bytes_out DESC, h.srcaddr, h.hour
LIMIT {{ limit }}
