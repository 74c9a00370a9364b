-- Blog shape: IPv4 versus IPv6 sources by counting the parts of the address.
SELECT cardinality(split(srcaddr, '.')) AS parts, COUNT(*) AS flows FROM vpc_flow_logs
WHERE srcaddr <> '-' GROUP BY 1 ORDER BY 1
