SELECT action, COUNT(*) AS flows FROM flows WHERE action IS NOT NULL GROUP BY action ORDER BY action
