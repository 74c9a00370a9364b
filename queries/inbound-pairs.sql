/*
name: inbound-pairs
version: 1
title: Inbound service traffic by internal host, external peer and port
description: >
  Accepted flows in which an internal host answers an external peer from a service port up to
  max_port, per internal host, external peer, protocol and service port, most bytes first: who
  uses which service of which host. The per-pair shape of inbound-services.
params:
  internal:
    type: cidr
    list: true
    default_from: vpc_cidrs
    description: Internal networks (default vpc_cidrs)
  max_port:
    type: port
    default: 1023
    description: Highest service (source) port to count
  limit:
    type: int
    default: 100
    min: 1
    max: 100000
    description: How many pairs to show
fields: [srcaddr, srcport, dstaddr, protocol, packets, bytes, start, end, action]
tags: [traffic, security, seed]
*/
SELECT
  srcaddr AS internal_host,
  dstaddr AS external_peer,
  {{ protocol_name('protocol') }} AS proto,
  srcport AS service_port,
  COUNT(*) AS flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND action = 'ACCEPT'
  AND {{ cidr_match('srcaddr', internal) }}
  AND NOT {{ cidr_match('dstaddr', internal) }}
  AND srcport <= {{ max_port }}
GROUP BY 1, 2, 3, 4
ORDER BY total_bytes DESC, internal_host, external_peer, proto, service_port
LIMIT {{ limit }}
