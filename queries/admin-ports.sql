/*
name: admin-ports
version: 1
title: Sources reaching administrative ports
description: >
  Sources with the most flows to administrative ports (SSH, Telnet, RDP, VNC, SMB, RPC, databases), with how many were accepted and rejected (AWS integration: admin port traffic).
params:
  ports:
    type: port
    list: true
    default: [22, 23, 135, 139, 445, 1433, 3306, 3389, 5432, 5900]
    description: Administrative destination ports
  limit:
    type: int
    default: 25
    min: 1
    max: 100000
    description: How many sources to show
fields: [srcaddr, dstaddr, dstport, start, end, action]
tags: [security, aws-integration]
*/
SELECT
  srcaddr,
  dstport,
  COUNT(*) AS flows,
  SUM(CASE WHEN action = 'ACCEPT' THEN 1 ELSE 0 END) AS accepted_flows,
  SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows,
  COUNT(DISTINCT dstaddr) AS destinations
FROM {{ table }}
WHERE {{ time_filter() }}
  AND dstport IN {{ ports|sql_list }}
GROUP BY srcaddr, dstport
ORDER BY flows DESC, srcaddr, dstport
LIMIT {{ limit }}
