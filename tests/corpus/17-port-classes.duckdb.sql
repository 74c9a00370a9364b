SELECT CASE WHEN dstport >= 49152 THEN 'ephemeral' WHEN dstport >= 1024 THEN 'registered' ELSE 'well-known' END AS port_class,
  COUNT(*) AS flows FROM flows WHERE dstport IS NOT NULL GROUP BY 1 ORDER BY 1
