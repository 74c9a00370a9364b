SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) AS t(x, y) ORDER BY x
