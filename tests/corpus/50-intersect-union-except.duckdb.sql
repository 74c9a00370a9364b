SELECT (SELECT COUNT(*) FROM (SELECT dstport FROM flows WHERE protocol = 6 INTERSECT SELECT dstport FROM flows WHERE protocol = 17)) AS both_protocols,
  (SELECT COUNT(DISTINCT dstport) FROM flows WHERE protocol IN (6, 17) AND log_status = 'OK') AS either,
  (SELECT COUNT(*) FROM (SELECT dstport FROM flows WHERE protocol = 6 EXCEPT SELECT dstport FROM flows WHERE protocol = 17)) AS tcp_only
