SELECT instance_id, SUM(bytes) AS total_bytes FROM flows WHERE instance_id IS NOT NULL
GROUP BY instance_id ORDER BY total_bytes DESC, instance_id LIMIT 10
