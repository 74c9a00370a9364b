-- Masking the last two octets: regexp_replace replaces every match, $1 for a group.
SELECT regexp_replace(srcaddr, '^(\d+\.\d+)\.\d+\.\d+$', '$1.x.x') AS masked, COUNT(*) AS flows FROM vpc_flow_logs
WHERE srcaddr LIKE '%.%.%.%' GROUP BY 1 ORDER BY flows DESC, masked LIMIT 10
