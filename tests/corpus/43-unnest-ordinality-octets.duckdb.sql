SELECT pos, octet, COUNT(*) AS n FROM (
  SELECT split_part(dstaddr, '.', 1) AS octet, 1 AS pos FROM flows WHERE dstaddr LIKE '10.20.%'
  UNION ALL SELECT split_part(dstaddr, '.', 2), 2 FROM flows WHERE dstaddr LIKE '10.20.%'
  UNION ALL SELECT split_part(dstaddr, '.', 3), 3 FROM flows WHERE dstaddr LIKE '10.20.%')
GROUP BY pos, octet ORDER BY pos, n DESC, octet LIMIT 12
