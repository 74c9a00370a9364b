/*
name: peer-over-time
version: 1
title: An address's traffic per time bucket
description: >
  The traffic of one address per time bucket (by flow start): bytes and packets it sent and
  received, its flows (and how many were rejected) and how many distinct hosts it exchanged
  traffic with. For `--format chart` and the report's page about one address.
params:
  ip:
    type: ip
    description: The address under investigation
  bucket:
    type: duration
    default: 1h
    min: 1m
    max: 7d
    description: Bucket width (e.g. 5m, 1h, 1d)
fields: [srcaddr, dstaddr, packets, bytes, start, end, action]
tags: [investigation]
*/
WITH flows AS (
  SELECT
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN 1 ELSE 0 END AS sent,
    CASE WHEN {{ ip_match('srcaddr', ip) }} THEN dstaddr ELSE srcaddr END AS peer,
    packets, bytes, action, "start"
  FROM {{ table }}
  WHERE {{ time_filter() }}
    AND ({{ ip_match('srcaddr', ip) }} OR {{ ip_match('dstaddr', ip) }})
)
SELECT
  from_unixtime(("start" / {{ bucket }}) * {{ bucket }}) AS bucket_start,
  SUM(CASE WHEN sent = 1 THEN bytes ELSE 0 END) AS bytes_sent,
  SUM(CASE WHEN sent = 0 THEN bytes ELSE 0 END) AS bytes_received,
  SUM(CASE WHEN sent = 1 THEN packets ELSE 0 END) AS packets_sent,
  SUM(CASE WHEN sent = 0 THEN packets ELSE 0 END) AS packets_received,
  COUNT(*) AS flows,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows,
  COUNT(DISTINCT peer) AS peers
FROM flows
GROUP BY 1
ORDER BY 1
