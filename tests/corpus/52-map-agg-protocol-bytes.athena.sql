-- Bytes per protocol as a map per action, read back by key.
SELECT action, m[6] AS tcp_bytes, element_at(m, 17) AS udp_bytes, cardinality(m) AS protocols FROM (
  SELECT action, map_agg(protocol, b) AS m FROM (
    SELECT action, protocol, SUM(bytes) AS b FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY action, protocol)
  GROUP BY action) ORDER BY action
