-- The actions seen on each interface, from the keys of a histogram.
SELECT interface_id, array_join(array_sort(map_keys(histogram(action))), '+') AS actions FROM vpc_flow_logs
GROUP BY interface_id ORDER BY interface_id
