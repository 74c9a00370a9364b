SELECT true AS no_fifth, false AS no_fourth, COUNT(*) AS n FROM flows WHERE dstaddr LIKE '%.%'
