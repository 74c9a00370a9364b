-- Tutorial shape: flows lasting half a minute or more, with date_diff.
SELECT protocol, COUNT(*) AS long_flows FROM vpc_flow_logs
WHERE date_diff('second', from_unixtime(start), from_unixtime("end")) >= 30 GROUP BY protocol ORDER BY protocol
