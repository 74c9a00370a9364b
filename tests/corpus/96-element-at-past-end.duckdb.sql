SELECT true AS none, COUNT(*) AS n FROM flows WHERE srcaddr LIKE '%.%.%.%'
