-- UNNEST of two arrays reads them side by side, the shorter padded with NULL.
SELECT x, y FROM UNNEST(ARRAY[1, 2, 3], ARRAY['a', 'b']) AS t(x, y) ORDER BY x
