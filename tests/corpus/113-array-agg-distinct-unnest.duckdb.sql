SELECT DISTINCT srcaddr, dstport AS port FROM flows WHERE action = 'REJECT' AND srcaddr LIKE '185.%' ORDER BY srcaddr, port LIMIT 20
