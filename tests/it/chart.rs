//! `--format chart` through the binary: bytes-over-time over three days of `athq sample` data,
//! drawn at fixed widths (COLUMNS, as stdout is not a terminal), in Unicode and ASCII, on the
//! embedded engine; a result with no time column is refused with what to run instead.

use crate::local::{athq, sample};
use crate::run;

fn chart(dir: &std::path::Path, query: &str, width: &str, extra: &[&str]) -> crate::Out {
    let src = dir.to_str().unwrap();
    run(athq(dir)
        .env("COLUMNS", width)
        .args(["-q", "run", query, "--engine", "local", "--source", src, "--days", "3", "--format", "chart"])
        .args(extra))
}

#[test]
fn bytes_over_time_draws_the_three_days() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--days", "3"]);
    let o = chart(dir.path(), "bytes-over-time", "100", &["--y", "total_bytes", "--y", "rejected_flows"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.lines().all(|l| l.chars().count() <= 100), "{}", o.stdout);
    insta::assert_snapshot!("chart-bytes-over-time-100", o.stdout);

    let o = chart(dir.path(), "bytes-over-time", "60", &["--ascii", "--y", "flows", "--tz", "Asia/Tokyo"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.is_ascii(), "{}", o.stdout);
    insta::assert_snapshot!("chart-bytes-over-time-60-ascii-tokyo", o.stdout);
}

#[test]
fn a_result_without_a_time_column_is_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--days", "1", "--records", "2000"]);
    let o = chart(dir.path(), "reject-top", "80", &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("no time column"), "{}", o.stderr);
    assert!(o.stderr.contains("bytes-over-time"), "{}", o.stderr);
    // A row per scanner, with when each was first seen, is no series over time.
    let o = chart(dir.path(), "port-scan", "80", &["-p", "min_ports=2"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("a row per srcaddr, not per time (first_seen is one of its columns)"),
        "{}",
        o.stderr
    );
    // An address's traffic per bucket is one.
    let ip = "ip=10.20.1.7";
    let o = chart(dir.path(), "peer-over-time", "80", &["-p", ip, "--y", "bytes_sent"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = chart(dir.path(), "bytes-over-time", "80", &["--y", "nope"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("--y nope: no such column; numbers here: flows, rejected_flows"),
        "{}",
        o.stderr
    );
}
