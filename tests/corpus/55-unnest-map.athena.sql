-- Counts per action from UNNEST over a histogram map.
SELECT k AS action, v AS flows FROM (SELECT histogram(action) AS h FROM vpc_flow_logs)
CROSS JOIN UNNEST(h) AS t(k, v) ORDER BY k
