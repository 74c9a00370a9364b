SELECT right(dstaddr, 3) AS tail, COUNT(*) AS flows FROM flows WHERE dstaddr LIKE '10.20.%'
GROUP BY 1 ORDER BY flows DESC, tail LIMIT 10
