//! Hostile parameter values: whatever a user passes, it is rejected or it appears in the SQL as
//! exactly one literal, and the statement keeps its shape.

use athq::library::{Source, parse_query};
use athq::render::window::parse_time;
use athq::render::{self, Dialect, RenderContext, TimeWindow, WindowSpec};
use proptest::prelude::*;

use crate::*;

const TEMPLATE: &str = "/*\nname: hostile\nversion: 1\ntitle: t\nparams:\n  s: {type: string, max_length: 4096, default: x}\n  ip: {type: ip, default: 10.0.0.1}\n  nets: {type: cidr, list: true, default: [10.0.0.0/8]}\n  e: {type: enum, values: [ACCEPT, REJECT], default: ACCEPT}\nfields: [srcaddr, dstaddr, action, start, end]\n*/\nSELECT srcaddr FROM {{ table }}\nWHERE {{ time_filter() }}\n  AND dstaddr = {{ s|str }}\n  AND {{ ip_match('srcaddr', ip) }}\n  AND {{ cidr_match('dstaddr', nets) }}\n  AND action = {{ e|str }}\n";

fn render_params(params: &[(&str, &str)]) -> Result<String, render::RenderError> {
    let q = parse_query(TEMPLATE, Source::File("hostile.sql".into()), "hostile").unwrap();
    let t = table();
    let window =
        TimeWindow::resolve(&WindowSpec::Last(jiff::SignedDuration::from_hours(1)), parse_time(NOW).unwrap())
            .unwrap();
    let ctx = RenderContext { table: &t, vpc_cidrs: &[], window, dialect: Dialect::Athena, relative: None };
    let params: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    render::render(&q, &params, &ctx)
}

/// Reads one SQL string literal starting at `at`: its value and where it ends.
fn read_literal(sql: &str, at: usize) -> (String, usize) {
    let bytes = sql.as_bytes();
    assert_eq!(bytes[at], b'\'');
    let mut value = String::new();
    let mut i = at + 1;
    loop {
        let c = sql[i..].chars().next().expect("unterminated literal");
        if c == '\'' {
            if sql[i + 1..].starts_with('\'') {
                value.push('\'');
                i += 2;
                continue;
            }
            return (value, i + 1);
        }
        value.push(c);
        i += c.len_utf8();
    }
}

fn check_string(v: &str) {
    let base = render_params(&[("s", "x")]).unwrap();
    match render_params(&[("s", v)]) {
        Err(e) => assert!(v.chars().any(char::is_control) || v.chars().count() > 4096, "rejected {v:?}: {e}"),
        Ok(sql) => {
            let prefix = base.split("'x'").next().unwrap();
            let suffix = base.split("'x'").nth(1).unwrap();
            assert!(sql.starts_with(prefix), "shape changed before the value: {sql}");
            let (value, end) = read_literal(&sql, prefix.len());
            assert_eq!(value, v, "the literal does not hold the value");
            assert_eq!(&sql[end..], suffix, "shape changed after the value");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn strings_become_exactly_one_literal(v in "\\PC{0,64}|['\"`;\\-\\\\ /*()=ORD1]{0,32}") {
        check_string(&v);
    }

    #[test]
    fn ips_are_addresses_or_rejected(v in "[0-9a-fA-F:.'/ ]{1,40}|\\PC{1,20}") {
        let base = render_params(&[]).unwrap();
        match render_params(&[("ip", &v)]) {
            Err(_) => prop_assert!(v.trim().parse::<std::net::IpAddr>().is_err()),
            Ok(sql) => {
                let ip: std::net::IpAddr = v.trim().parse().unwrap();
                prop_assert_eq!(sql, base.replace("'10.0.0.1'", &format!("'{ip}'")));
            }
        }
    }

    #[test]
    fn cidr_lists_are_networks_or_rejected(v in "[0-9a-f:./, ']{1,40}|\\PC{1,20}") {
        match render_params(&[("nets", &v)]) {
            Err(_) => {}
            Ok(sql) => {
                let nets: Vec<ipnet::IpNet> = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
                for n in &nets {
                    let test = format!("contains('{n}', TRY_CAST(dstaddr AS IPADDRESS))");
                    prop_assert!(sql.contains(&test), "{} lacks {}", sql, test);
                }
                prop_assert_eq!(sql.matches("contains(").count(), nets.len());
            }
        }
    }

    #[test]
    fn enums_take_only_their_values(v in "\\PC{0,16}") {
        let ok = render_params(&[("e", &v)]).is_ok();
        prop_assert_eq!(ok, v.trim() == "ACCEPT" || v.trim() == "REJECT");
    }
}

#[test]
fn classic_injections_stay_literals() {
    for v in
        ["x' OR '1'='1", "'; DROP TABLE t; --", "\\' OR 1=1 --", "x'/*", "´ OR 1=1", "''''", "‘ OR ’1’=’1"]
    {
        check_string(v);
    }
    assert!(render_params(&[("s", "a\nb")]).is_err());
    assert!(render_params(&[("ip", "10.0.0.1' OR '1'='1")]).is_err());
    assert!(render_params(&[("nets", "10.0.0.0/8) OR (1=1")]).is_err());
}
