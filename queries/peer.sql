/*
name: peer
version: 1
title: Every host that exchanged traffic with an address
description: >
  One row per host that exchanged traffic with the address in the window: bytes and packets the
  address sent to it and received from it, flows (accepted and rejected), the ports used on each
  side as port:flows (the address's own, then the peer's, most used first), and when they were
  first and last seen. The start of an investigation of one address: who it talked to, how much,
  on which services.
params:
  ip:
    type: ip
    description: The address under investigation
  limit:
    type: int
    default: 1000
    min: 1
    max: 100000
    description: How many peers to show (most bytes first)
  ports:
    type: int
    default: 5
    min: 1
    max: 50
    description: How many of each side's most-used ports to list
fields: [srcaddr, dstaddr, srcport, dstport, packets, bytes, start, end, action]
tags: [investigation]
*/
WITH flows AS (
  SELECT
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN 1 ELSE 0 END AS sent,
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN dstaddr ELSE srcaddr END AS peer,
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN srcport ELSE dstport END AS address_port,
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN dstport ELSE srcport END AS peer_port,
    packets, bytes, action, "start", "end"
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND ({{ ip_match('srcaddr', ip) }} OR {{ ip_match('dstaddr', ip) }})
),
totals AS (
  SELECT
    peer,
    SUM(CASE WHEN sent = 1 THEN bytes ELSE 0 END) AS bytes_sent,
    SUM(CASE WHEN sent = 0 THEN bytes ELSE 0 END) AS bytes_received,
    SUM(CASE WHEN sent = 1 THEN packets ELSE 0 END) AS packets_sent,
    SUM(CASE WHEN sent = 0 THEN packets ELSE 0 END) AS packets_received,
    COUNT(*) AS flows,
    SUM(CASE WHEN action = 'ACCEPT' THEN 1 ELSE 0 END) AS accepted,
    SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    MIN("start") AS first_start,
    MAX("end") AS last_end
  FROM flows
  GROUP BY peer
),
address_ports AS (
  SELECT peer, address_port, COUNT(*) AS n,
    ROW_NUMBER() OVER (PARTITION BY peer ORDER BY COUNT(*) DESC, address_port) AS port_rank
  FROM flows
  GROUP BY peer, address_port
),
peer_ports AS (
  SELECT peer, peer_port, COUNT(*) AS n,
    ROW_NUMBER() OVER (PARTITION BY peer ORDER BY COUNT(*) DESC, peer_port) AS port_rank
  FROM flows
  GROUP BY peer, peer_port
),
address_list AS (
  SELECT peer, {{ port_list('address_port', 'n', 'port_rank', ports) }} AS ports
  FROM address_ports
  GROUP BY peer
),
peer_list AS (
  SELECT peer, {{ port_list('peer_port', 'n', 'port_rank', ports) }} AS ports
  FROM peer_ports
  GROUP BY peer
)
SELECT
  t.peer,
  t.bytes_sent,
  t.bytes_received,
  t.packets_sent,
  t.packets_received,
  t.flows,
  t.accepted,
  t.rejected,
  a.ports AS address_ports,
  p.ports AS peer_ports,
  from_unixtime(t.first_start) AS first_seen,
  from_unixtime(t.last_end) AS last_seen
FROM totals t
JOIN address_list a ON a.peer = t.peer
JOIN peer_list p ON p.peer = t.peer
ORDER BY t.bytes_sent + t.bytes_received DESC, t.peer
LIMIT {{ limit }}
