/*
name: port-scan
version: 1
title: Port-scan suspects
description: >
  Sources whose rejected flows reached many distinct destination ports: the classic shape of a port scan.
params:
  min_ports:
    type: int
    default: 20
    min: 2
    max: 65536
    description: Fewest distinct rejected ports that make a suspect
  limit:
    type: int
    default: 50
    min: 1
    max: 100000
    description: How many sources to show
fields: [srcaddr, dstaddr, dstport, start, end, action]
tags: [security]
*/
SELECT
  srcaddr,
  COUNT(DISTINCT dstport) AS distinct_ports,
  COUNT(DISTINCT dstaddr) AS targets,
  COUNT(*) AS rejected_flows,
  from_unixtime(MIN("start")) AS first_seen,
  from_unixtime(MAX("end")) AS last_seen
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'REJECT'
GROUP BY srcaddr
HAVING COUNT(DISTINCT dstport) >= {{ min_ports }}
ORDER BY distinct_ports DESC, srcaddr
LIMIT {{ limit }}
