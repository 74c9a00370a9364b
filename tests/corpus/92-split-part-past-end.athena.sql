-- split_part past the last field is NULL, not empty text.
SELECT split_part(dstaddr, '.', 5) IS NULL AS no_fifth, split_part(dstaddr, '.', 4) IS NULL AS no_fourth, COUNT(*) AS n
FROM vpc_flow_logs WHERE dstaddr LIKE '%.%' GROUP BY 1, 2 ORDER BY 1, 2
