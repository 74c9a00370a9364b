/*
name: outbound-well-known-ports
version: 1
title: Outbound traffic by well-known port
description: >
  Flows from internal addresses to external ones, by destination port below max_port and protocol: what the network reaches out to. Internal networks come from vpc_cidrs or the internal parameter.
params:
  internal:
    type: cidr
    list: true
    default_from: vpc_cidrs
    description: Internal networks (default vpc_cidrs)
  max_port:
    type: port
    default: 1023
    description: Highest destination port to count
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many ports to show
fields: [srcaddr, dstaddr, dstport, protocol, bytes, start, end, action]
tags: [traffic, security, seed]
*/
SELECT
  dstport,
  {{ protocol_name('protocol') }} AS proto,
  COUNT(*) AS flows,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows,
  COUNT(DISTINCT srcaddr) AS internal_sources,
  COUNT(DISTINCT dstaddr) AS external_destinations,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND {{ cidr_match('srcaddr', internal) }}
  AND NOT {{ cidr_match('dstaddr', internal) }}
  AND dstport <= {{ max_port }}
GROUP BY 1, 2
ORDER BY flows DESC, dstport, proto
LIMIT {{ limit }}
