SELECT COUNT(*) AS flows FROM flows WHERE regexp_matches(interface_id, '^eni-[0-9a-f]+$')
