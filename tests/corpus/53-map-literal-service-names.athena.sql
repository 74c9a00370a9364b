-- Port names from a MAP literal, with element_at for unknown ports.
SELECT coalesce(element_at(MAP(ARRAY[22, 53, 80, 443], ARRAY['ssh', 'dns', 'http', 'https']), dstport), 'other') AS service,
  COUNT(*) AS flows FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1 ORDER BY flows DESC, service
