SELECT srcaddr, COUNT(DISTINCT dstport) AS ports FROM flows WHERE action = 'REJECT'
GROUP BY srcaddr HAVING COUNT(DISTINCT dstport) >= 10 ORDER BY ports DESC, srcaddr
