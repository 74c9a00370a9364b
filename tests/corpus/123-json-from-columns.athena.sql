-- JSON built from flow fields and read back, with json_parse and json_extract_scalar.
SELECT json_extract_scalar(j, '$.port') AS port, json_extract_scalar(j, '$.ok') AS ok, COUNT(*) AS n FROM (
  SELECT json_parse('{"port": ' || CAST(dstport AS VARCHAR) || ', "ok": ' || if(action = 'ACCEPT', 'true', 'false') || '}') AS j
  FROM vpc_flow_logs WHERE dstport IN (22, 80) AND action IS NOT NULL) GROUP BY 1, 2 ORDER BY 1, 2
