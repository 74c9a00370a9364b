-- Tutorial shape: regexp_like on interface ids.
SELECT COUNT(*) AS flows FROM vpc_flow_logs WHERE regexp_like(interface_id, '^eni-[0-9a-f]+$')
