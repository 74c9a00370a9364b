//! One snapshot per query (Athena dialect, default parameters) and per DDL variant, so any change
//! to a template shows up as a reviewed diff.

use athq::render::Dialect;
use athq::table::{Layout, partitions};

use crate::*;

#[test]
fn every_query_renders_for_athena() {
    let lib = library();
    assert!(lib.len() >= 24, "the library shrank to {}", lib.len());
    let t = table();
    for q in lib.iter() {
        insta::assert_snapshot!(format!("query-{}", q.name), render_with(q, &t, Dialect::Athena));
    }
}

#[test]
fn seed_queries_in_every_layout() {
    let lib = library();
    let q = lib.get("reject-top").unwrap();
    for (shape, t) in shapes() {
        if shape.starts_with("text-") && !shape.ends_with("-managed") && t.fields.label() == "v2" {
            insta::assert_snapshot!(format!("reject-top-{shape}"), render_with(q, &t, Dialect::Athena));
        }
    }
}

#[test]
fn local_dialect_renders_every_query_without_athena_only_syntax() {
    let lib = library();
    let t = table();
    for q in lib.iter() {
        let sql = render_with(q, &t, Dialect::Local);
        assert!(!sql.contains("IPADDRESS"), "{}: {sql}", q.name);
        assert!(
            !sql.contains("\"day\""),
            "{}: the local engine prunes by path, not partition columns",
            q.name
        );
        assert!(!sql.contains("\"flowlogs\"."), "{}", q.name);
    }
    insta::assert_snapshot!(
        "local-outbound-well-known-ports",
        render_with(lib.get("outbound-well-known-ports").unwrap(), &t, Dialect::Local)
    );
    insta::assert_snapshot!("local-find-ip", render_with(lib.get("find-ip").unwrap(), &t, Dialect::Local));
}

#[test]
fn every_query_prunes_by_time() {
    let t = table();
    for q in library().iter() {
        let sql = render_with(q, &t, Dialect::Athena);
        assert!(
            sql.contains("\"day\" BETWEEN '2026/11/19' AND '2026/11/22'"),
            "{} does not prune: {sql}",
            q.name
        );
        assert!(sql.contains("\"end\" >= 1795083960 AND \"start\" < 1795343160"), "{}", q.name);
    }
}

#[test]
fn rendering_is_byte_identical_within_a_minute() {
    let t = table();
    let q = library();
    let q = q.get("bytes-by-pair").unwrap();
    assert_eq!(render_with(q, &t, Dialect::Athena), render_with(q, &t, Dialect::Athena));
}

#[test]
fn every_ddl_variant() {
    for (name, t) in shapes() {
        insta::assert_snapshot!(format!("ddl-{name}"), ddl_of(&t));
    }
}

#[test]
fn partition_statements() {
    insta::assert_snapshot!(
        "partitions-add-plain-daily",
        add_statements(&managed(Layout::Plain, false)).join(";\n\n")
    );
    insta::assert_snapshot!(
        "partitions-add-hive-daily",
        add_statements(&managed(Layout::Hive, false)).join(";\n\n")
    );
    insta::assert_snapshot!(
        "partitions-repair-hive",
        partitions::repair(&managed(Layout::Hive, false)).unwrap()
    );
    let mut firehose = managed(Layout::Firehose, true);
    firehose.location = Some("s3://firehose-bucket/flowlogs/".into());
    insta::assert_snapshot!("partitions-add-firehose-hourly", add_statements(&firehose).join(";\n\n"));
    firehose.granularity = athq::table::Granularity::Month;
    insta::assert_snapshot!("partitions-add-firehose-monthly", add_statements(&firehose).join(";\n\n"));
    let d = |s: &str| s.parse().unwrap();
    let drop =
        partitions::drop(&managed(Layout::Plain, false), d("2026-11-20"), d("2026-11-21"), 262_144).unwrap();
    insta::assert_snapshot!("partitions-drop-plain-daily", drop.join(";\n\n"));
}
