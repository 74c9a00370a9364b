-- Addresses split on dots and colons alike, with regexp_split.
SELECT cardinality(regexp_split(dstaddr, '[.:]')) AS parts, COUNT(*) AS flows FROM vpc_flow_logs
WHERE dstaddr <> '-' GROUP BY 1 ORDER BY 1
