-- Parts of URLs built from flows, with the url_extract functions.
SELECT url_extract_protocol(u) AS scheme, url_extract_host(u) AS host, url_extract_port(u) AS port,
  url_extract_path(u) AS path, url_extract_parameter(u, 'p') AS p FROM (
  SELECT 'https://' || dstaddr || ':' || CAST(dstport AS VARCHAR) || '/flows/' || action || '?p=' || CAST(protocol AS VARCHAR) AS u
  FROM vpc_flow_logs WHERE dstport = 443 AND dstaddr LIKE '%.%' AND log_status = 'OK') ORDER BY host, path, p LIMIT 8
