-- sequence with a step, and counting down without one.
SELECT array_join(sequence(0, 20, 5), ',') AS up, array_join(sequence(3, 1), ',') AS down, COUNT(*) AS flows FROM vpc_flow_logs
