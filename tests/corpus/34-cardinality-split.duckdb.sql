SELECT len(string_split(srcaddr, '.')) AS parts, COUNT(*) AS flows FROM flows
WHERE srcaddr IS NOT NULL GROUP BY 1 ORDER BY 1
