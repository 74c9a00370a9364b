/*
name: reject-top
version: 2
title: Top rejected sources, with the ports they tried
description: >
  Source addresses with the most rejected flows in the window: who is knocking on closed doors,
  and on which ports. Counts flows, packets, bytes and the distinct destination ports each source
  tried, and lists its most-tried ports as port:flows. `sources` narrows it to internal hosts
  (a compromised or misconfigured machine) or external ones (scanners), by `vpc_cidrs`.
params:
  limit:
    type: int
    default: 25
    min: 1
    max: 10000
    description: How many sources to show
  ports:
    type: int
    default: 3
    min: 1
    max: 50
    description: How many of each source's most-tried destination ports to list
  sources:
    type: enum
    values: [any, internal, external]
    default: any
    description: Only internal sources, only external ones, or any (internal means in vpc_cidrs)
  internal:
    type: cidr
    list: true
    default_from: vpc_cidrs
    description: Internal networks, for `sources` (default vpc_cidrs)
fields: [srcaddr, dstport, packets, bytes, action, start, end]
tags: [security, seed]
*/
WITH rejected AS (
  SELECT srcaddr, dstport, COUNT(*) AS flows, SUM(packets) AS packets, SUM(bytes) AS bytes
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND action = 'REJECT'
{% if sources == 'internal' %}
    AND {{ cidr_match('srcaddr', internal) }}
{% elif sources == 'external' %}
    AND NOT {{ cidr_match('srcaddr', internal) }}
{% endif %}
  GROUP BY srcaddr, dstport
),
ranked AS (
  SELECT
    srcaddr, dstport, flows, packets, bytes,
    ROW_NUMBER() OVER (PARTITION BY srcaddr ORDER BY flows DESC, dstport) AS port_rank
  FROM rejected
)
SELECT
  srcaddr,
  SUM(flows) AS rejected_flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes,
  COUNT(dstport) AS distinct_ports,
  {{ port_list('dstport', 'flows', 'port_rank', ports) }} AS top_ports
FROM ranked
GROUP BY srcaddr
ORDER BY rejected_flows DESC, srcaddr
LIMIT {{ limit }}
