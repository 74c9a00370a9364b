-- Ports two protocols share and do not share.
SELECT cardinality(array_intersect(tcp, udp)) AS both_protocols, cardinality(array_union(tcp, udp)) AS either,
  cardinality(array_except(tcp, udp)) AS tcp_only FROM (
  SELECT array_agg(dstport) FILTER (WHERE protocol = 6) AS tcp, array_agg(dstport) FILTER (WHERE protocol = 17) AS udp
  FROM vpc_flow_logs WHERE log_status = 'OK')
