-- Trino's IP functions: flows from inside a network, with is_subnet_of and IPPREFIX.
SELECT action, COUNT(*) AS internal_flows FROM vpc_flow_logs
WHERE is_subnet_of(CAST('10.20.0.0/16' AS IPPREFIX), CAST(srcaddr AS IPADDRESS))
GROUP BY action ORDER BY action
