SELECT protocol, COUNT(*) AS long_flows FROM flows WHERE "end" - start >= 30 GROUP BY protocol ORDER BY protocol
