-- element_at past the end is NULL (the subscript would fail).
SELECT element_at(split(srcaddr, '.'), 5) IS NULL AS none, COUNT(*) AS n FROM vpc_flow_logs WHERE srcaddr LIKE '%.%.%.%' GROUP BY 1
