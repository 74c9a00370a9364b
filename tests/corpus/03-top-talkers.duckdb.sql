SELECT srcaddr, SUM(bytes) AS total_bytes FROM flows GROUP BY srcaddr ORDER BY total_bytes DESC, srcaddr LIMIT 10
