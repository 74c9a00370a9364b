//! Every statement athq prints, checked by an independent parser: sqlglot's Athena dialect
//! (installed by scripts/test). A statement sqlglot only accepts as a generic `Command` fails.

use std::io::Write;
use std::process::{Command, Stdio};

use athq::render::Dialect;
use athq::table::{Layout, Partitioning, partitions};
use serde_json::{Value, json};

use crate::*;

use crate::support::python;

/// Runs scripts/sqlcheck.py over the statements and returns the problems it reports.
pub fn check(items: &[Value]) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/sqlcheck.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (scripts/test sets ATHQ_TEST_PYTHON)");
    child.stdin.take().unwrap().write_all(serde_json::to_string(items).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "sqlcheck.py failed (is sqlglot installed? run scripts/test):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn layouts() -> Vec<(&'static str, athq::table::TableProfile)> {
    let mut out = vec![("plain-daily-projection", table())];
    for (name, layout, hourly, partitioning) in [
        ("plain-hourly-managed", Layout::Plain, true, Partitioning::Managed),
        ("hive-daily-projection", Layout::Hive, false, Partitioning::Projection),
        ("hive-hourly-managed", Layout::Hive, true, Partitioning::Managed),
        ("unpartitioned", Layout::Plain, false, Partitioning::None),
    ] {
        let mut t = table();
        t.layout = layout;
        t.granularity = if hourly { athq::table::Granularity::Hour } else { athq::table::Granularity::Day };
        t.partitioning = partitioning;
        out.push((name, t));
    }
    for (name, granularity, partitioning) in [
        ("firehose-hourly-managed", athq::table::Granularity::Hour, Partitioning::Managed),
        ("firehose-daily-projection", athq::table::Granularity::Day, Partitioning::Projection),
        ("firehose-monthly-managed", athq::table::Granularity::Month, Partitioning::Managed),
    ] {
        let mut t = table();
        (t.layout, t.granularity, t.partitioning) = (Layout::Firehose, granularity, partitioning);
        t.location = Some("s3://firehose-bucket/flowlogs/".into());
        out.push((name, t));
    }
    out
}

#[test]
fn every_statement_parses_as_what_it_is() {
    let mut items = Vec::new();
    let lib = library();
    for (layout, t) in layouts() {
        for q in lib.iter() {
            items.push(json!({"name": format!("{}@{layout}", q.name), "kind": "select", "sql": render_with(q, &t, Dialect::Athena)}));
        }
    }
    // As `saved sync` writes them: the window relative to when the query runs.
    for (layout, t) in layouts() {
        let cidrs = vpc_cidrs();
        let window = athq::render::TimeWindow::resolve(
            &athq::render::WindowSpec::Last(jiff::SignedDuration::from_hours(24)),
            athq::render::window::parse_time(NOW).unwrap(),
        )
        .unwrap();
        let ctx = athq::render::RenderContext {
            table: &t,
            vpc_cidrs: &cidrs,
            window,
            dialect: Dialect::Athena,
            relative: Some(jiff::SignedDuration::from_hours(24)),
        };
        for q in lib.iter().filter(|q| required_params(q).is_empty()) {
            let sql = athq::render::render(q, &[], &ctx).unwrap();
            assert!(sql.contains("current_timestamp"), "{sql}");
            items.push(json!({"name": format!("{}@{layout}@saved", q.name), "kind": "select", "sql": sql}));
        }
    }
    for (name, t) in shapes() {
        items.push(json!({"name": format!("ddl-{name}"), "kind": "create", "sql": ddl_of(&t), "columns": t.fields.fields().len()}));
    }
    for (layout, hourly) in
        [(Layout::Plain, false), (Layout::Plain, true), (Layout::Hive, false), (Layout::Hive, true)]
    {
        let t = managed(layout, hourly);
        let per_day = if hourly { 24 } else { 1 };
        let stmts = add_statements(&t);
        assert_eq!(stmts.len(), 1);
        items.push(json!({"name": format!("add-{layout}-{hourly}"), "kind": "alter_add", "sql": stmts[0], "partitions": 3 * per_day * 2}));
        let d = |s: &str| s.parse().unwrap();
        for (i, s) in partitions::drop(&t, d("2026-11-20"), d("2026-11-22"), 2000).unwrap().iter().enumerate()
        {
            items
                .push(json!({"name": format!("drop-{layout}-{hourly}-{i}"), "kind": "alter_drop", "sql": s}));
        }
    }
    items.push(json!({"name": "msck", "kind": "msck", "sql": partitions::repair(&managed(Layout::Hive, false)).unwrap()}));
    // `table convert`: a CTAS and an INSERT INTO from each source layout, daily and hourly.
    for (layout, hourly) in
        [(Layout::Plain, false), (Layout::Plain, true), (Layout::Hive, false), (Layout::Hive, true)]
    {
        use athq::table::convert;
        let source = managed(layout, hourly);
        let copy = convert::target(&source, "copy", "s3://b/copy/");
        let d = |s: &str| s.parse().unwrap();
        let plan = |exists| {
            convert::plan(
                &source,
                &copy,
                d("2026-11-20"),
                d("2026-11-21"),
                &Default::default(),
                exists,
                convert::Compression::Snappy,
            )
            .unwrap()
        };
        items.push(
            json!({"name": format!("ctas-{layout}-{hourly}"), "kind": "ctas", "sql": plan(false)[0].sql}),
        );
        items.push(
            json!({"name": format!("insert-{layout}-{hourly}"), "kind": "insert", "sql": plan(true)[0].sql}),
        );
    }
    let total = items.len();
    let problems = check(&items);
    assert!(problems.is_empty(), "{} of {total} statements failed:\n{problems:#?}", problems.len());
    assert!(total > 150, "only {total} statements were checked");
}

#[test]
fn the_checker_rejects_what_it_should() {
    let bad = [
        json!({"name": "command-fallback", "kind": "select", "sql": "MSCK REPAIR TABLE t"}),
        json!({"name": "two-statements", "kind": "select", "sql": "SELECT 1; DROP TABLE t"}),
        json!({"name": "broken", "kind": "select", "sql": "SELECT FROM WHERE"}),
        json!({"name": "not-create", "kind": "create", "sql": "SELECT 1"}),
        json!({"name": "ctas-without-select", "kind": "ctas", "sql": "CREATE TABLE t (a int)"}),
        json!({"name": "insert-values", "kind": "insert", "sql": "INSERT INTO t VALUES (1)"}),
        json!({"name": "columns", "kind": "create", "sql": "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/'", "columns": 2}),
        json!({"name": "add-number", "kind": "alter_add", "sql": "ALTER TABLE t ADD IF NOT EXISTS PARTITION (a = 1) LOCATION 's3://b/'"}),
        json!({"name": "add-tail", "kind": "alter_add", "sql": "ALTER TABLE t ADD IF NOT EXISTS PARTITION (a = '1') LOCATION 's3://b/' x"}),
        json!({"name": "msck-tail", "kind": "msck", "sql": "MSCK REPAIR TABLE t; DROP TABLE t"}),
    ];
    let problems = check(&bad);
    let names: Vec<&str> = problems.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), bad.len(), "accepted something bad: {problems:#?}");
}
