-- Per interface, accepted and rejected counts read out of a histogram map.
SELECT interface_id, element_at(h, 'ACCEPT') AS accepted, element_at(h, 'REJECT') AS rejected FROM (
  SELECT interface_id, histogram(action) AS h FROM vpc_flow_logs GROUP BY interface_id) ORDER BY interface_id
