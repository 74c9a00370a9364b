/*
name: outbound-pairs
version: 1
title: Outbound traffic by internal source, external destination and port
description: >
  Flows from internal addresses to external ones on destination ports up to max_port, per internal
  source, external destination, protocol and destination port, most bytes first: which host sends
  what where. The per-pair shape of outbound-well-known-ports. Internal networks come from
  vpc_cidrs or the internal parameter.
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
    description: How many pairs to show
fields: [srcaddr, dstaddr, dstport, protocol, packets, bytes, start, end]
tags: [traffic, security, seed]
*/
SELECT
  srcaddr AS internal_source,
  dstaddr AS external_destination,
  {{ protocol_name('protocol') }} AS proto,
  dstport,
  COUNT(*) AS flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND {{ cidr_match('srcaddr', internal) }}
  AND NOT {{ cidr_match('dstaddr', internal) }}
  AND dstport <= {{ max_port }}
GROUP BY 1, 2, 3, 4
ORDER BY total_bytes DESC, internal_source, external_destination, proto, dstport
LIMIT {{ limit }}
