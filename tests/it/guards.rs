//! The scan limit on every path that starts an Athena statement, against the stand-in: each path
//! refuses before anything starts (the stand-in's history stays empty), a table athq does not know
//! is refused while a limit is set unless `--max-scan none`, and `--estimate` answers on each path
//! without starting anything.

use crate::cost::{put, setup};
use crate::run;

/// Every command that starts Athena statements reading the table, as a user would type it.
fn paths(id: &str) -> Vec<(&'static str, Vec<String>, Option<&'static str>)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        ("run", s(&["run", "bytes-by-pair", "--days", "30"]), None),
        ("exec", s(&["exec", "--sql", "SELECT srcaddr, SUM(bytes) FROM vpc_flow_logs GROUP BY 1"]), None),
        (
            "report",
            s(&["report", "--days", "30", "--queries", "bytes-by-pair,top-talkers", "-o", "r.html"]),
            None,
        ),
        ("sql", s(&["sql"]), Some("SELECT srcaddr, SUM(bytes) FROM vpc_flow_logs GROUP BY 1;\n")),
        ("sql \\run", s(&["sql"]), Some("\\run bytes-by-pair --days 30\n")),
        (
            "table convert",
            vec![
                "table".into(),
                "convert".into(),
                "parquet".into(),
                "--from".into(),
                "2026-11-20".into(),
                "--target-location".into(),
                format!("s3://athq-logs-{id}/parquet/"),
            ],
            None,
        ),
    ]
}

#[test]
fn the_scan_limit_holds_on_every_path_that_starts_an_athena_statement() {
    let (acct, dir) = setup("text", "max_scan: 1MB\n");
    put(&acct, dir.path(), "2026/11/21", "big.log.gz", &vec![b'x'; 2_000_000]);
    for (label, args, stdin) in paths(&acct.id) {
        let mut cmd = acct.athq(dir.path());
        cmd.args(&args);
        if let Some(text) = stdin {
            cmd.write_stdin(text);
        }
        let o = run(&mut cmd);
        assert_eq!(o.code, 2, "{label}: {}", o.stderr);
        assert!(
            o.stderr.contains("not started") || o.stderr.contains("nothing started"),
            "{label}: {}",
            o.stderr
        );
        assert!(o.stderr.contains("976.6 KiB (1000000 bytes)"), "{label}: the limit is named: {}", o.stderr);
        assert!(acct.history().is_empty(), "{label} started a query on Athena");
    }
    assert!(!dir.path().join("r.html").exists(), "a refused report writes no page");

    // The report names each section over the limit, before the first starts.
    let o = run(acct.athq(dir.path()).args([
        "report",
        "--days",
        "30",
        "--queries",
        "bytes-by-pair,top-talkers",
        "-o",
        "r.html",
    ]));
    assert!(o.stderr.contains("nothing started: 2 of 2 statement(s)"), "{}", o.stderr);
    assert!(o.stderr.contains("  bytes-by-pair: would scan at most 1.9 MiB"), "{}", o.stderr);
    assert!(o.stderr.contains("  top-talkers: would scan at most"), "{}", o.stderr);

    // Ad-hoc SQL with no predicate on the partition columns is told it scans every partition.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", "SELECT COUNT(*) FROM vpc_flow_logs"]));
    assert!(
        o.stderr.contains("no predicate on the partition columns (aws_account_id, aws_region, day)"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("it scans every partition"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args([
        "exec",
        "--sql",
        "SELECT COUNT(*) FROM vpc_flow_logs WHERE day = '2026/11/21'",
        "--estimate",
    ]));
    assert!(!o.stderr.contains("no predicate"), "{}", o.stderr);

    // DDL and metadata scan nothing: they start under the limit.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", "SHOW TABLES"]));
    assert!(!o.stderr.contains("not started"), "{}", o.stderr);
    assert_eq!(acct.history().len(), 1, "{}", o.stderr);
}

#[test]
fn a_table_athq_does_not_know_is_refused_while_a_limit_is_set() {
    let (acct, dir) = setup("text", "max_scan: 1MB\n");
    let sql = "SELECT * FROM other_table";
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", sql]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("not started: the statement cannot be estimated: it reads other_table, and a scan limit of 976.6 KiB (1000000 bytes) is set"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("--max-scan none"), "{}", o.stderr);
    assert!(acct.history().is_empty());
    // Estimated as unknown, not as the flow-log table.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", sql, "--estimate", "--format", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["scope"], "unknown", "{v}");
    assert!(v["bytes"].is_null(), "{v}");
    assert!(o.stderr.contains("cannot be estimated: it reads other_table"), "{}", o.stderr);
    // `--max-scan none` lifts the limit for this run.
    acct.queue_result(&[("a", "varchar")], &[vec!["1"]]);
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", sql, "--max-scan", "none", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(acct.history().len(), 1);
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", sql, "--max-scan", "lots"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("`lots` is not a size such as 5GB or 500MiB, or `none`"), "{}", o.stderr);
}

#[test]
fn estimate_answers_on_every_path_and_starts_nothing() {
    let (acct, dir) = setup("text", "");
    put(&acct, dir.path(), "2026/11/21", "a.log.gz", &vec![b'x'; 3000]);
    put(&acct, dir.path(), "2026/11/22", "b.log.gz", &vec![b'x'; 4000]);
    // The report: a row a section, and no page.
    let o = run(acct.athq(dir.path()).args([
        "report",
        "--days",
        "1",
        "--queries",
        "bytes-by-pair,top-talkers",
        "-o",
        "r.html",
        "--estimate",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("bytes-by-pair") && o.stdout.contains("7000"), "{}", o.stdout);
    assert!(o.stdout.contains("partitions"), "{}", o.stdout);
    assert!(!dir.path().join("r.html").exists());
    // The conversion: a row a statement.
    let o = run(acct.athq(dir.path()).args([
        "table",
        "convert",
        "parquet",
        "--from",
        "2026-11-21",
        "--to",
        "2026-11-21",
        "--target-location",
        &format!("s3://athq-logs-{}/parquet/", acct.id),
        "--estimate",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("statement 1") && o.stdout.contains("3000"), "{}\n{}", o.stdout, o.stderr);
    // The shell: each statement's estimate instead of its rows.
    let o = run(acct
        .athq(dir.path())
        .args(["sql", "--estimate", "--format", "csv"])
        .write_stdin("SELECT srcaddr FROM vpc_flow_logs WHERE day >= '2026/11/22';\n"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("7000,2"), "every partition of ad-hoc SQL: {}", o.stdout);
    assert!(acct.history().is_empty(), "--estimate started a query");
}
