-- Blog shape: port scanners, sources whose rejected flows hit many ports.
SELECT srcaddr, COUNT(DISTINCT dstport) AS ports FROM vpc_flow_logs WHERE action = 'REJECT'
GROUP BY srcaddr HAVING COUNT(DISTINCT dstport) >= 10 ORDER BY ports DESC, srcaddr
