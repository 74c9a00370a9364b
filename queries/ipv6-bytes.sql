/*
name: ipv6-bytes
version: 1
title: IPv6 traffic totals
description: >
  Flows, packets and bytes of IPv6 traffic in the window, by action (AWS integration: IPv6 bytes transferred).
fields: [srcaddr, packets, bytes, start, end, action, log-status]
tags: [traffic, aws-integration]
*/
SELECT
  action,
  COUNT(*) AS flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes,
  COUNT(DISTINCT srcaddr) AS sources
FROM {{ table }}
WHERE {{ time_filter() }}
  AND log_status = 'OK'
  AND strpos(srcaddr, ':') > 0
GROUP BY action
ORDER BY action
