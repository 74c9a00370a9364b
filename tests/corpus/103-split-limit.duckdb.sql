SELECT substr(srcaddr, 4) AS rest, COUNT(*) AS flows FROM flows WHERE srcaddr LIKE '10.20.1%'
GROUP BY 1 ORDER BY 1 LIMIT 8
