/*
name: log-health
version: 1
title: "Flow-log health: NODATA and SKIPDATA"
description: >
  Per network interface: how many records were OK, NODATA (no traffic in the capture window) and SKIPDATA (records skipped, e.g. capacity or internal error), worst first. SKIPDATA means flows are missing from every other query.
params:
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many interfaces to show
fields: [interface-id, start, end, log-status]
tags: [health]
*/
SELECT
  interface_id,
  COUNT(*) AS records,
  SUM(CASE WHEN log_status = 'OK' THEN 1 ELSE 0 END) AS ok,
  SUM(CASE WHEN log_status = 'NODATA' THEN 1 ELSE 0 END) AS nodata,
  SUM(CASE WHEN log_status = 'SKIPDATA' THEN 1 ELSE 0 END) AS skipdata,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM {{ table }}
WHERE {{ time_filter() }}
GROUP BY interface_id
ORDER BY skipdata DESC, nodata DESC, interface_id
LIMIT {{ limit }}
