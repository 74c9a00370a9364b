SELECT subnet_id, SUM(bytes) AS total_bytes, SUM(packets) AS total_packets FROM flows
WHERE subnet_id IS NOT NULL GROUP BY subnet_id ORDER BY total_bytes DESC, subnet_id
