SELECT len(regexp_split_to_array(dstaddr, '[.:]')) AS parts, COUNT(*) AS flows FROM flows
WHERE dstaddr IS NOT NULL GROUP BY 1 ORDER BY 1
