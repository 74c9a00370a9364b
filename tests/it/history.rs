//! `athq history` against the stand-in: executions of known statistics, started with boto3 and
//! by athq itself, listed over more than one ListQueryExecutions page; totals must equal the sum
//! of what the stand-in was told each execution scanned.

use std::process::Command;

use serde_json::{Value, json};

use crate::run;
use crate::standin::Account;
use crate::support::python;

const MIB10: i64 = 10 * 1024 * 1024;

/// What Athena bills for one execution: $5 per TiB, at least 10 MiB, nothing when it failed or
/// reused a result (written out here independently of athq's own formula).
fn billed(scanned: i64, failed: bool, reused: bool) -> f64 {
    if failed || reused { 0.0 } else { scanned.max(MIB10) as f64 * 5.0 / 1024f64.powi(4) }
}

/// Starts `n` plain queries in the account's work group `analysts`, with boto3.
fn start_queries(acct: &Account, n: usize) {
    let script = format!(
        "import boto3\nc = boto3.client('athena')\nfor i in range({n}):\n    c.start_query_execution(QueryString='SELECT %d' % i, WorkGroup='analysts', ResultConfiguration={{'OutputLocation': 's3://r/'}})\n"
    );
    let o = Command::new(python()).arg("-c").arg(script).envs(acct.env()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn history_lists_pages_of_executions_and_totals_what_they_scanned() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{}/athena/\nvpc_cidrs: [10.20.0.0/16]\n",
        acct.id
    ));
    // Nothing run yet: nothing scanned, nothing spent (not `$-0.0000`).
    let o = run(acct.athq(dir.path()).args(["history"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("0 execution(s)") && o.stderr.contains("cost $0.0000"), "{}", o.stderr);
    // 56 executions: every seventh fails, one reuses a result, sizes from 3 MB (under the minimum) up.
    let n = 56;
    let mut scripts = Vec::new();
    let (mut scanned, mut cost, mut failed) = (0i64, 0.0, 0);
    for i in 0..n {
        let fails = i % 7 == 3;
        let reused = i == 5;
        let bytes = 3_000_000 + i as i64 * 7_000_000;
        scripts.push(json!({"states": [if fails { "FAILED" } else { "SUCCEEDED" }], "data_scanned": bytes,
            "engine_ms": 100 * i, "queue_ms": 50, "reused": reused, "reason": "SYNTAX_ERROR"}));
        scanned += bytes;
        cost += billed(bytes, fails, reused);
        failed += usize::from(fails);
    }
    acct.queue_executions(json!(scripts));
    start_queries(&acct, n);
    // And one that athq starts from the library.
    acct.queue_result(&[("srcaddr", "varchar")], &[vec!["192.0.2.1"]]);
    acct.queue_executions(
        json!([{"states": ["SUCCEEDED"], "data_scanned": 2_000_000_000_i64, "engine_ms": 4200}]),
    );
    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--days", "1"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    scanned += 2_000_000_000;
    cost += billed(2_000_000_000, false, false);

    let o = run(acct.athq(dir.path()).args(["history", "--format", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows: Vec<Value> = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(rows.len(), n + 1, "every execution, across two pages");
    let sum: i64 = rows.iter().map(|r| r["scanned_bytes"].as_i64().unwrap()).sum();
    assert_eq!(sum, scanned);
    let listed_cost: f64 = rows.iter().map(|r| r["cost_usd"].as_f64().unwrap()).sum();
    assert!((listed_cost - cost).abs() < 1e-5, "{listed_cost} vs {cost}");
    assert!(
        o.stderr.contains(&format!("{} execution(s) in work group analysts since ", n + 1))
            && o.stderr.contains(&format!("({scanned} bytes) · cost ${cost:.4}")),
        "{}",
        o.stderr
    );
    // Newest first: athq's own run, recognised as the library query it rendered.
    assert_eq!(rows[0]["query"], "reject-top v2", "{}", rows[0]);
    assert_eq!(rows[0]["state"], "SUCCEEDED");
    assert_eq!(rows[0]["run_time_s"], 4.2);
    assert_eq!(rows[1]["query"], Value::Null);
    assert_eq!(rows[1]["sql"], format!("SELECT {}", n - 1));

    // Only the failed ones, and a limit.
    let o = run(acct.athq(dir.path()).args(["history", "--state", "FAILED", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 1 + failed, "{}", o.stdout);
    assert!(o.stdout.lines().skip(1).all(|l| l.contains(",FAILED,")), "{}", o.stdout);
    assert!(o.stderr.contains("cost $0.0000"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["history", "--limit", "10", "--format", "csv"]));
    assert_eq!(o.stdout.lines().count(), 11);
    assert!(o.stderr.contains("stopped at --limit 10"), "{}", o.stderr);
    // Since a time after all of them: nothing, and it says so.
    let o = run(acct.athq(dir.path()).args(["history", "--since", "2099-01-01", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.starts_with("0 execution(s)"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["history", "--since", "last tuesday"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--since last tuesday: not a duration or a time"), "{}", o.stderr);
}

#[test]
fn the_standin_lists_executions_as_the_api_reference_says() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    start_queries(&acct, 3);
    let page = acct.aws(&["athena", "list-query-executions", "--work-group", "analysts", "--max-items", "2"]);
    assert_eq!(page["QueryExecutionIds"].as_array().unwrap().len(), 2);
    assert!(page["NextToken"].is_string(), "{page}");
    let all = acct.aws(&["athena", "list-query-executions", "--work-group", "analysts"]);
    let ids: Vec<&str> =
        all["QueryExecutionIds"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let mut args = vec!["athena", "batch-get-query-execution", "--query-execution-ids"];
    args.extend(ids.iter().copied());
    args.push("nope");
    let got = acct.aws(&args);
    let sql: Vec<&str> =
        got["QueryExecutions"].as_array().unwrap().iter().map(|q| q["Query"].as_str().unwrap()).collect();
    assert_eq!(sql, ["SELECT 2", "SELECT 1", "SELECT 0"], "newest first");
    assert_eq!(got["UnprocessedQueryExecutionIds"][0]["ErrorCode"], "INVALID_INPUT");
}
