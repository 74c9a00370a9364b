/*
name: inbound-services
version: 1
title: Internal services answering external peers
description: >
  Internal hosts sending from a well-known source port (below max_port) to external addresses: the services the outside world actually uses.
params:
  internal:
    type: cidr
    list: true
    default_from: vpc_cidrs
    description: Internal networks (default vpc_cidrs)
  max_port:
    type: port
    default: 1023
    description: Highest source port counted as a service
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many services to show
fields: [srcaddr, srcport, dstaddr, protocol, bytes, start, end, action]
tags: [traffic, security, seed]
*/
SELECT
  srcaddr AS internal_host,
  srcport AS service_port,
  {{ protocol_name('protocol') }} AS proto,
  COUNT(*) AS flows,
  COUNT(DISTINCT dstaddr) AS external_peers,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'ACCEPT'
  AND {{ cidr_match('srcaddr', internal) }}
  AND NOT {{ cidr_match('dstaddr', internal) }}
  AND srcport <= {{ max_port }}
GROUP BY 1, 2, 3
ORDER BY flows DESC, internal_host, service_port, proto
LIMIT {{ limit }}
