SELECT h, COUNT(f.start) AS flows FROM range(0, 24) AS t(h)
LEFT JOIN flows f ON (f.start % 86400) // 3600 = t.h GROUP BY h ORDER BY h
