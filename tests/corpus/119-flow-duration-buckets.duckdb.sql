SELECT CASE WHEN "end" - start < 0 THEN 0 WHEN "end" - start >= 600 THEN 11 ELSE floor(("end" - start) * 10 / 600)::BIGINT + 1 END AS bucket,
  COUNT(*) AS flows FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1
