-- Key-value text (as in a tag) parsed with split_to_map.
SELECT m['proto'] AS proto, m['port'] AS port, COUNT(*) AS flows FROM (
  SELECT split_to_map('proto=' || CAST(protocol AS VARCHAR) || '&port=' || CAST(dstport AS VARCHAR), '&', '=') AS m
  FROM vpc_flow_logs WHERE dstport IN (22, 443) AND log_status = 'OK') GROUP BY 1, 2 ORDER BY 1, 2
