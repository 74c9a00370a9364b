-- Every hour of a day, even the quiet ones, with sequence and UNNEST.
SELECT h, COUNT(v.start) AS flows FROM UNNEST(sequence(0, 23)) AS t(h)
LEFT JOIN vpc_flow_logs v ON hour(from_unixtime(v.start)) = t.h GROUP BY h ORDER BY h
