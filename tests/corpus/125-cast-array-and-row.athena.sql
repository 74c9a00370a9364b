-- CAST to ARRAY(varchar) and to a named ROW, whose fields print by name.
SELECT CAST(ARRAY[dstport] AS ARRAY(VARCHAR))[1] || '/tcp' AS service, CAST(ROW(dstport, action) AS ROW(port BIGINT, verdict VARCHAR)) AS r,
  COUNT(*) AS flows FROM vpc_flow_logs WHERE dstport IN (22, 443) AND action IS NOT NULL AND protocol = 6 GROUP BY 1, 2 ORDER BY 1, 3
