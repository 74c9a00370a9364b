SELECT action, COUNT(*) AS internal_flows FROM flows
WHERE srcaddr LIKE '%.%' AND split_part(srcaddr, '.', 1) = '10' AND split_part(srcaddr, '.', 2) = '20'
GROUP BY action ORDER BY action
