SELECT action, COUNT(*) AS flows, SUM(bytes) AS bytes FROM flows WHERE srcaddr LIKE '%:%' GROUP BY action ORDER BY action
