//! The detections pack: every query tagged `detection` fires on the `athq sample` scenario made for
//! it and stays quiet on clean sample data, on the embedded engine over real files, and runs on
//! Athena through the real SDK against the stand-in (its SQL parses with sqlglot in sqlglot.rs).

use std::path::Path;

use serde_json::json;

use crate::local::{athq, sample};
use crate::run;

/// Each detection, and what it must find in the `--scenarios all` sample: (column, value) pairs
/// of one row.
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    ("vertical-scan", &[("srcaddr", "192.0.2.23"), ("source", "external"), ("ports", "1000")]),
    ("horizontal-scan", &[("dstport", "445"), ("source", "internal"), ("targets", "254")]),
    ("beaconing", &[("dstaddr", "192.0.2.77"), ("dstport", "443")]),
    ("large-outbound", &[]), // its host is one of the sample's; the bytes are checked below
    ("dns-tunnel", &[("dstaddr", "192.0.2.53"), ("destination", "not a resolver"), ("flows", "3000")]),
    ("crypto-mining", &[("dstaddr", "192.0.2.44"), ("dstport", "3333")]),
    ("brute-force", &[("srcaddr", "192.0.2.99"), ("dstport", "22"), ("attempts", "600")]),
    ("new-destinations", &[("dstaddr", "192.0.2.200")]),
];

fn detections() -> Vec<String> {
    athq::library::Library::builtin()
        .unwrap()
        .iter()
        .filter(|q| q.tags.iter().any(|t| t == "detection"))
        .map(|q| q.name.clone())
        .collect()
}

/// The query's CSV answer as rows of (column, value).
fn answer(dir: &Path, query: &str) -> Vec<Vec<(String, String)>> {
    rows_of(&crate::local::local(dir, query, &[]).stdout)
}

/// The same question in Athena's SQL (`athq render`: qualified table, partition predicates,
/// `contains(…, TRY_CAST(… AS IPADDRESS))`, `approx_percentile`), run as written by the embedded
/// engine over the same files: the Athena dialect's answers, since the stand-in runs no SQL.
fn athena_answer(dir: &Path, query: &str) -> Vec<Vec<(String, String)>> {
    let rendered = run(athq(dir).args(["render", query, "--days", "3"]));
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    assert!(rendered.stdout.contains("TRY_CAST(") || !rendered.stdout.contains("contains("));
    let src = dir.to_str().unwrap();
    let o = run(athq(dir).args([
        "exec",
        "--engine",
        "local",
        "--source",
        src,
        "--format",
        "csv",
        "--sql",
        &rendered.stdout,
    ]));
    assert_eq!(o.code, 0, "{query}: {}", o.stderr);
    rows_of(&o.stdout)
}

fn rows_of(csv: &str) -> Vec<Vec<(String, String)>> {
    let mut lines = csv.lines();
    let header: Vec<String> = lines.next().unwrap_or_default().split(',').map(String::from).collect();
    lines.map(|l| header.iter().cloned().zip(l.split(',').map(String::from)).collect()).collect()
}

fn has(rows: &[Vec<(String, String)>], want: &[(&str, &str)]) -> bool {
    rows.iter().any(|row| want.iter().all(|(c, v)| row.iter().any(|(rc, rv)| rc == c && rv == v)))
}

#[test]
fn the_pack_covers_every_scenario() {
    let mut names = detections();
    names.sort();
    let mut expected: Vec<String> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
}

/// A query's answer as rows of (column, value).
type Rows = Vec<Vec<(String, String)>>;

fn fires_and_stays_quiet(format: &[&str], answer: fn(&Path, &str) -> Rows) {
    let seeded = tempfile::tempdir().unwrap();
    sample(seeded.path(), &[&["--scenarios", "all"], format].concat());
    let clean = tempfile::tempdir().unwrap();
    sample(clean.path(), &[&["--scenarios", "none", "--records", "100000"], format].concat());
    for (query, want) in EXPECTED {
        let rows = answer(seeded.path(), query);
        assert!(has(&rows, want), "{query} missed its scenario {want:?}: {rows:?}");
        let rows = answer(clean.path(), query);
        assert!(rows.is_empty(), "{query} raised a false alarm on clean data: {rows:?}");
    }
    // The exfiltration hour is 40 GiB or more from one host, far above its usual hour.
    let rows = answer(seeded.path(), "large-outbound");
    let bytes: u64 = rows[0].iter().find(|(c, _)| c == "bytes_out").unwrap().1.parse().unwrap();
    assert!(bytes >= 40 << 30, "{rows:?}");
}

#[test]
fn each_detection_fires_on_its_scenario_and_not_on_clean_text_logs() {
    fires_and_stays_quiet(&[], answer);
}

#[test]
fn each_detection_fires_on_its_scenario_and_not_on_clean_parquet() {
    fires_and_stays_quiet(&["--format", "parquet", "--fields", "v5"], answer);
}

#[test]
fn each_detection_in_athena_sql_fires_on_its_scenario_and_not_on_clean_logs() {
    fires_and_stays_quiet(&[], athena_answer);
}

#[test]
fn scenarios_add_to_the_records_and_none_drops_the_background_scanners() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--scenarios", "none", "--records", "5000"]);
    let rows = answer(dir.path(), "port-scan");
    assert!(rows.is_empty(), "{rows:?}");
    let o = run(athq(dir.path()).args(["sample", "--output", "x", "--scenarios", "beaconing,bogus"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("invalid value 'bogus'"), "{}", o.stderr);
}

#[test]
fn every_detection_runs_on_athena() {
    let (acct, dir) = crate::athena::setup();
    for query in detections() {
        acct.queue_result(&[("srcaddr", "varchar"), ("flows", "bigint")], &[vec!["10.20.1.9", "42"]]);
        acct.queue_executions(json!([{"states": ["RUNNING", "SUCCEEDED"], "data_scanned": 10_000_000}]));
        let o = run(acct.athq(dir.path()).args(["run", &query, "--days", "3", "--format", "csv"]));
        assert_eq!(o.code, 0, "{query}: {}", o.stderr);
        assert_eq!(o.stdout, "srcaddr,flows\n10.20.1.9,42\n", "{query}");
        let rendered = run(acct.athq(dir.path()).args(["render", &query, "--days", "3"]));
        let sent = acct.history().pop().unwrap();
        assert_eq!(sent["Query"].as_str().unwrap(), rendered.stdout.trim_end(), "{query}");
    }
}
