SELECT regexp_replace(srcaddr, '^(\d+\.\d+)\.\d+\.\d+$', '\1.x.x') AS masked, COUNT(*) AS flows FROM flows
WHERE srcaddr LIKE '%.%.%.%' GROUP BY 1 ORDER BY flows DESC, masked LIMIT 10
