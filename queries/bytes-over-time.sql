/*
name: bytes-over-time
version: 1
title: Traffic per time bucket
description: >
  Flows, packets and bytes per time bucket (by flow start), accepted and rejected: the shape of traffic over the window.
params:
  bucket:
    type: duration
    default: 1h
    min: 1m
    max: 7d
    description: Bucket width (e.g. 5m, 1h, 1d)
fields: [packets, bytes, start, end, action, log-status]
tags: [traffic]
*/
SELECT
  from_unixtime(("start" / {{ bucket }}) * {{ bucket }}) AS bucket_start,
  COUNT(*) AS flows,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows,
  SUM(packets) AS total_packets,
  SUM(bytes) AS total_bytes
FROM {{ table }}
WHERE {{ time_filter() }}
  AND log_status = 'OK'
GROUP BY 1
ORDER BY 1
