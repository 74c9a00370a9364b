//! The Athena engine end to end: the real binary, the real AWS SDK, the stand-in server.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::run;
use crate::standin::Account;

const COLUMNS: &[(&str, &str)] = &[
    ("srcaddr", "varchar"),
    ("rejected_flows", "bigint"),
    ("total_packets", "bigint"),
    ("total_bytes", "bigint"),
    ("distinct_ports", "bigint"),
];

fn config(acct: &Account) -> String {
    format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{id}/athena/\nvpc_cidrs: [10.20.0.0/16]\ntable:\n  location: s3://athq-logs-{id}/AWSLogs/\n  accounts: ['{id}']\n  regions: [us-east-1]\n",
        id = acct.id
    )
}

/// An account with the work group, the results bucket and the Glue database athq's config names.
pub fn setup() -> (Account, tempfile::TempDir) {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    acct.aws(&["glue", "create-database", "--database-input", "Name=flowdb"]);
    let dir = acct.project(&config(&acct));
    (acct, dir)
}

#[test]
fn run_reject_top_renders_runs_polls_and_prints() {
    let (acct, dir) = setup();
    acct.queue_result(
        COLUMNS,
        &[
            vec!["203.0.113.9", "1200", "2400", "96000", "312"],
            vec!["198.51.100.7", "87", "90", "5200", "NULL"],
        ],
    );
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING", "RUNNING", "SUCCEEDED"], "data_scanned": 123_456_789, "engine_ms": 2300, "queue_ms": 120}]));

    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--days", "3"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("│ 203.0.113.9  ┆           1200 ┆          2400 ┆       96000 ┆            312 │"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("│ 198.51.100.7 ┆             87 ┆            90 ┆        5200 ┆           NULL │"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.ends_with("(2 rows)\n"));
    assert!(
        o.stderr.contains(
            " SUCCEEDED · scanned 117.7 MiB · engine 2.3 s · queue 0.1 s · cost $0.0006 · reused: no"
        ),
        "{}",
        o.stderr
    );

    let rendered = run(acct.athq(dir.path()).args(["render", "reject-top", "--days", "3"]));
    let history = acct.history();
    assert_eq!(history.len(), 1);
    let q = &history[0];
    assert_eq!(q["Query"].as_str().unwrap(), rendered.stdout.trim_end());
    assert_eq!(q["WorkGroup"], "analysts");
    assert_eq!(q["QueryExecutionContext"]["Database"], "flowdb");
    assert_eq!(q["QueryExecutionContext"]["Catalog"], "AwsDataCatalog");
    assert_eq!(q["Status"]["State"], "SUCCEEDED");
    let location = q["ResultConfiguration"]["OutputLocation"].as_str().unwrap();
    assert!(location.starts_with(&format!("s3://athq-results-{}/athena/", acct.id)), "{location}");
}

/// Queues a result of `n` generated rows for the account's next query.
fn queue_many_rows(acct: &Account, n: usize) {
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            vec![
                format!("10.0.{}.{}", i / 256, i % 256),
                i.to_string(),
                format!("{}", i * 3),
                format!("{}", i * 100),
                "1".into(),
            ]
        })
        .collect();
    let borrowed: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    acct.queue_result(COLUMNS, &borrowed);
}

#[test]
fn results_span_several_pages_in_every_format() {
    let (acct, dir) = setup();
    queue_many_rows(&acct, 2_345);
    // No output location: the rows must come from GetQueryResults, 1000 at a time.
    let cfg = config(&acct).replace(&format!("output_location: s3://athq-results-{}/athena/\n", acct.id), "");
    std::fs::write(dir.path().join("athq.yaml"), cfg).unwrap();
    let o = run(acct.athq(dir.path()).args(["-q", "run", "reject-top", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 2_345);
    assert_eq!(lines[0], "srcaddr,rejected_flows,total_packets,total_bytes,distinct_ports");
    assert_eq!(lines[1001], "10.0.3.232,1000,3000,100000,1");
    assert_eq!(lines[2345], "10.0.9.40,2344,7032,234400,1");

    let id = acct.history()[0]["QueryExecutionId"].as_str().unwrap().to_string();
    let o = run(acct.athq(dir.path()).args(["-q", "results", &id, "--format", "ndjson"]));
    assert_eq!(o.stdout.lines().count(), 2_345);
    assert_eq!(
        o.stdout.lines().nth(7).unwrap(),
        r#"{"srcaddr":"10.0.0.7","rejected_flows":7,"total_packets":21,"total_bytes":700,"distinct_ports":1}"#
    );
    let o = run(acct.athq(dir.path()).args(["-q", "results", &id, "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2_345);
    assert_eq!(v[2344]["total_bytes"], 234_400);
    let o = run(acct.athq(dir.path()).args(["-q", "results", &id, "--format", "markdown"]));
    assert!(o.stdout.starts_with("| srcaddr | rejected_flows | total_packets | total_bytes | distinct_ports |\n| --- | ---: | ---: | ---: | ---: |\n| 10.0.0.0 | 0 | 0 | 0 | 1 |\n"));
    let out_file = dir.path().join("out.csv");
    let o = run(acct.athq(dir.path()).args([
        "-q",
        "results",
        &id,
        "--format",
        "csv",
        "--output",
        out_file.to_str().unwrap(),
    ]));
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap().lines().count(), 2_346);
}

#[test]
fn large_results_stream_from_s3_and_fall_back_to_the_api() {
    let (acct, dir) = setup();
    queue_many_rows(&acct, 1_500);
    let o = run(acct.athq(dir.path()).args(["-q", "run", "reject-top", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 1_501);
    let exec = &acct.history()[0];
    let id = exec["QueryExecutionId"].as_str().unwrap();
    let location = exec["ResultConfiguration"]["OutputLocation"].as_str().unwrap();

    // Rewrite the result CSV: what athq prints now proves it read S3, not the API.
    let csv = dir.path().join("edited.csv");
    let mut text =
        String::from("\"srcaddr\",\"rejected_flows\",\"total_packets\",\"total_bytes\",\"distinct_ports\"\n");
    // Large enough to arrive in many chunks, split inside quoted fields and UTF-8 characters.
    for i in 0..60_000 {
        text.push_str(&format!("\"from-s3-{i}-é\",\"{i}\",\"0\",\"0\",\"a,\"\"b\"\"\"\n"));
    }
    std::fs::write(&csv, text).unwrap();
    acct.aws(&["s3", "cp", csv.to_str().unwrap(), location]);
    let o = run(acct.athq(dir.path()).args(["-q", "results", id, "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 60_001);
    assert_eq!(o.stdout.lines().nth(60_000).unwrap(), "from-s3-59999-é,59999,0,0,\"a,\"\"b\"\"\"");

    // No CSV in S3 any more: the API pages serve the same rows.
    acct.aws(&["s3", "rm", location]);
    let o = run(acct.athq(dir.path()).args(["-q", "results", id, "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 1_501);
    assert_eq!(o.stdout.lines().nth(1500).unwrap(), "10.0.5.219,1499,4497,149900,1");
}

#[test]
fn a_failed_query_prints_athenas_reason_and_exits_1() {
    let (acct, dir) = setup();
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING", "FAILED"], "reason": "COLUMN_NOT_FOUND: line 3:8: Column 'srcadr' cannot be resolved", "error_category": 2, "error_type": 1006}]));
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", "SELECT srcadr FROM vpc_flow_logs"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr
            .contains("failed: COLUMN_NOT_FOUND: line 3:8: Column 'srcadr' cannot be resolved (user error)"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains(" FAILED · scanned 0 B"), "{}", o.stderr);
    assert!(o.stderr.contains("hint: the SQL or the table does not fit"), "{}", o.stderr);
}

/// A signal while the query runs stops it on Athena first, then exits 128 + the signal number.
fn signal_stops_the_query(signal: &str, code: i32) {
    let (acct, dir) = setup();
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING"]}]));
    let bin = assert_cmd::cargo::cargo_bin("athq");
    let child = std::process::Command::new(bin)
        .current_dir(dir.path())
        .envs(acct.env())
        .env(athq::env_vars::ATHQ_NOW, crate::NOW)
        .args(["run", "reject-top"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the query is running on the stand-in, then signal.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acct.history().first().map(|q| q["Status"]["State"] != "RUNNING").unwrap_or(true) {
        assert!(std::time::Instant::now() < deadline, "the query never started");
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(
        stderr.contains(&format!("interrupted by SIG{signal}: query")) && stderr.contains("was stopped"),
        "{stderr}"
    );
    assert_eq!(acct.history()[0]["Status"]["State"], "CANCELLED");
}

#[test]
fn ctrl_c_stops_the_query_and_exits_130() {
    signal_stops_the_query("INT", 130);
}

#[test]
fn sigterm_stops_the_query_and_exits_143() {
    signal_stops_the_query("TERM", 143);
}

#[test]
fn sighup_stops_the_query_and_exits_129() {
    signal_stops_the_query("HUP", 129);
}

#[test]
fn a_timeout_stops_the_query_and_exits_1() {
    let (acct, dir) = setup();
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING"]}]));
    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--timeout", "1"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("timed out after 1 s: query"), "{}", o.stderr);
    assert_eq!(acct.history()[0]["Status"]["State"], "CANCELLED");
}

#[test]
fn throttling_is_retried_with_backoff() {
    let (acct, dir) = setup();
    acct.queue_result(COLUMNS, &[vec!["203.0.113.9", "1", "1", "1", "1"]]);
    acct.queue_executions(json!([{"states": ["RUNNING", "SUCCEEDED"], "throttle": 3}]));
    let o = run(acct.athq(dir.path()).args(["-q", "run", "reject-top", "--format", "csv"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "srcaddr,rejected_flows,total_packets,total_bytes,distinct_ports\n203.0.113.9,1,1,1,1\n"
    );
    // Past the retry budget, the error names the operation.
    // Two throttled answers: both of athq's attempts.
    acct.queue_executions(json!([{"states": ["RUNNING"], "throttle": 2}]));
    let o = run(acct.athq(dir.path()).env("AWS_MAX_ATTEMPTS", "2").args(["run", "reject-top"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    // Giving up stops the query (nothing left running unseen) and names it.
    let last = acct.history().pop().unwrap();
    assert_eq!(last["Status"]["State"], "CANCELLED");
    let id = last["QueryExecutionId"].as_str().unwrap();
    assert!(
        o.stderr.contains(&format!("error: query {id} was stopped because athq gave up waiting")),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("Athena GetQueryExecution")
            && o.stderr.contains("TooManyRequestsException: Rate exceeded"),
        "{}",
        o.stderr
    );
}

#[test]
fn status_results_and_cancel_by_id() {
    let (acct, dir) = setup();
    acct.queue_result(&[("n", "integer")], &[vec!["1"]]);
    let o = run(acct.athq(dir.path()).args(["-q", "exec", "--sql", "SELECT 1 AS n;", "--format", "csv"]));
    assert_eq!((o.code, o.stdout.as_str()), (0, "n\n1\n"), "{}", o.stderr);
    let id = acct.history()[0]["QueryExecutionId"].as_str().unwrap().to_string();
    assert_eq!(acct.history()[0]["Query"], "SELECT 1 AS n");
    let o = run(acct.athq(dir.path()).args(["status", &id]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("state:      SUCCEEDED")
            && o.stdout.contains("workgroup:  analysts")
            && o.stdout.ends_with("SELECT 1 AS n\n"),
        "{}",
        o.stdout
    );

    acct.queue_executions(json!([{"states": ["RUNNING"]}]));
    let id2 = acct.aws(&[
        "athena",
        "start-query-execution",
        "--query-string",
        "SELECT 2",
        "--work-group",
        "analysts",
    ])["QueryExecutionId"]
        .as_str()
        .unwrap()
        .to_string();
    let o = run(acct.athq(dir.path()).args(["results", &id2]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("has no results yet: it is RUNNING"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["cancel", &id2]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("is CANCELLED"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).env("AWS_MAX_ATTEMPTS", "2").args(["status", "no-such-id"]));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("error: Athena GetQueryExecution (no-such-id): HTTP 500"), "{}", o.stderr);
    assert!(!o.stderr.contains("ServiceError(") && !o.stderr.contains("DispatchFailure("), "{}", o.stderr);
}

#[test]
fn table_create_via_athena_runs_the_exact_ddl() {
    let (acct, dir) = setup();
    let o = run(acct.athq(dir.path()).args(["table", "create", "--format", "parquet", "--hive"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let ddl = run(acct.athq(dir.path()).args(["table", "ddl", "--format", "parquet", "--hive"]));
    let history = acct.history();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["Query"].as_str().unwrap(), ddl.stdout.trim_end());
    assert_eq!(history[0]["StatementType"], "DDL");
    assert!(o.stderr.contains("cost $0.0000"), "{}", o.stderr);
}

#[test]
fn table_create_via_glue_sets_columns_serde_and_projection() {
    let (acct, dir) = setup();
    let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue", "--fields", "v3"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("table flowdb.vpc_flow_logs created"), "{}", o.stderr);
    let t =
        &acct.aws(&["glue", "get-table", "--database-name", "flowdb", "--name", "vpc_flow_logs"])["Table"];
    let sd = &t["StorageDescriptor"];
    let cols: Vec<&str> =
        sd["Columns"].as_array().unwrap().iter().map(|c| c["Name"].as_str().unwrap()).collect();
    assert_eq!(cols.len(), 21);
    assert_eq!(&cols[..3], ["version", "account_id", "interface_id"]);
    assert_eq!(sd["Columns"][11], json!({"Name": "end", "Type": "bigint"}));
    assert_eq!(sd["SerdeInfo"]["SerializationLibrary"], "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
    assert_eq!(sd["SerdeInfo"]["Parameters"]["field.delim"], " ");
    assert_eq!(sd["Location"], format!("s3://athq-logs-{}/AWSLogs/", acct.id));
    let keys: Vec<&str> =
        t["PartitionKeys"].as_array().unwrap().iter().map(|c| c["Name"].as_str().unwrap()).collect();
    assert_eq!(keys, ["aws_account_id", "aws_region", "day"]);
    assert_eq!(t["Parameters"]["projection.enabled"], "true");
    assert_eq!(t["Parameters"]["projection.day.format"], "yyyy/MM/dd");
    assert_eq!(t["Parameters"]["skip.header.line.count"], "1");

    let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue", "--format", "parquet"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("already exists: pass --replace"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args([
        "table",
        "create",
        "--via",
        "glue",
        "--format",
        "parquet",
        "--replace",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("updated"), "{}", o.stderr);
    let t =
        &acct.aws(&["glue", "get-table", "--database-name", "flowdb", "--name", "vpc_flow_logs"])["Table"];
    assert_eq!(
        t["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"],
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    );
    assert!(t["Parameters"].get("skip.header.line.count").is_none());
}

#[test]
fn partitions_are_added_through_athena_and_through_glue() {
    let (acct, dir) = setup();
    let args =
        ["partitions", "add", "--from", "2026-11-20", "--to", "2026-11-22", "--partitioning", "managed"];
    let o = run(acct.athq(dir.path()).args(args));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let printed = run(acct.athq(dir.path()).args(args).arg("--print"));
    let history = acct.history();
    assert_eq!(history.len(), 1);
    assert_eq!(format!("{};\n\n", history[0]["Query"].as_str().unwrap()), printed.stdout);

    run(acct.athq(dir.path()).args(["table", "create", "--via", "glue", "--partitioning", "managed"]));
    let o = run(acct.athq(dir.path()).args(args).args(["--via", "glue"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("3 partition(s) for 2026-11-20..2026-11-22: 3 created, 0 already existed"),
        "{}",
        o.stderr
    );
    let o = run(acct.athq(dir.path()).args([
        "partitions",
        "add",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-22",
        "--partitioning",
        "managed",
        "--via",
        "glue",
    ]));
    assert!(
        o.stderr.contains("22 partition(s) for 2026-11-01..2026-11-22: 19 created, 3 already existed"),
        "{}",
        o.stderr
    );
    let parts =
        acct.aws(&["glue", "get-partitions", "--database-name", "flowdb", "--table-name", "vpc_flow_logs"]);
    let parts = parts["Partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 22);
    let p = parts.iter().find(|p| p["Values"][2] == "2026/11/07").unwrap();
    assert_eq!(p["Values"], json!([acct.id, "us-east-1", "2026/11/07"]));
    assert_eq!(
        p["StorageDescriptor"]["Location"],
        format!("s3://athq-logs-{id}/AWSLogs/{id}/vpcflowlogs/us-east-1/2026/11/07/", id = acct.id)
    );
}

#[test]
fn the_standin_extension_behaves_as_the_api_reference_says() {
    // Checked with the AWS CLI, independently of athq's client.
    let acct = Account::new();
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING", "FAILED"], "reason": "boom", "error_category": 1, "throttle": 1}]));
    let id = acct.aws(&["athena", "start-query-execution", "--query-string", "SELECT 1"])["QueryExecutionId"]
        .as_str()
        .unwrap()
        .to_string();
    let throttled = acct.aws_raw(&["athena", "get-query-execution", "--query-execution-id", &id]);
    assert!(String::from_utf8_lossy(&throttled.stderr).contains("TooManyRequestsException"));
    let states: Vec<String> = (0..4)
        .map(|_| acct.aws(&["athena", "get-query-execution", "--query-execution-id", &id])["QueryExecution"]["Status"]["State"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states, ["QUEUED", "RUNNING", "FAILED", "FAILED"]);
    let failed = acct.aws(&["athena", "get-query-execution", "--query-execution-id", &id]);
    assert_eq!(failed["QueryExecution"]["Status"]["AthenaError"]["ErrorCategory"], 1);
    assert_eq!(failed["QueryExecution"]["Status"]["StateChangeReason"], "boom");

    acct.queue_result(&[("n", "integer")], &[vec!["1"], vec!["2"], vec!["3"]]);
    let id = acct.aws(&["athena", "start-query-execution", "--query-string", "SELECT n"])["QueryExecutionId"]
        .as_str()
        .unwrap()
        .to_string();
    let page = acct.aws(&["athena", "get-query-results", "--query-execution-id", &id, "--max-results", "2"]);
    assert_eq!(page["ResultSet"]["Rows"].as_array().unwrap().len(), 2);
    let next = page["NextToken"].as_str().unwrap();
    let rest = acct.aws(&[
        "athena",
        "get-query-results",
        "--query-execution-id",
        &id,
        "--max-results",
        "2",
        "--next-token",
        next,
    ]);
    assert_eq!(rest["ResultSet"]["Rows"][1]["Data"][0]["VarCharValue"], "3");
    assert!(rest.get("NextToken").is_none());
    let bad =
        acct.aws_raw(&["athena", "get-query-results", "--query-execution-id", &id, "--max-results", "1001"]);
    assert!(!bad.status.success());

    let other = Account::new();
    assert_eq!(other.aws(&["athena", "list-query-executions"])["QueryExecutionIds"], json!([]));
}

#[test]
fn athena_only_commands_refuse_the_embedded_engine() {
    let (acct, dir) = setup();
    for args in [&["status", "x"][..], &["cancel", "x"], &["saved", "list"], &["table", "create"]] {
        let o = run(acct.athq(dir.path()).args(args).args(["--engine", "local"]));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains("runs on Athena only, and the engine is `local`"), "{}", o.stderr);
        assert!(o.stderr.contains("hint: leave out --engine local"), "{}", o.stderr);
    }
    // Flags of the embedded engine are refused on Athena rather than ignored.
    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--source", "/tmp"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--source is for the embedded engine"), "{}", o.stderr);
    assert!(acct.history().is_empty());
}

#[test]
fn a_missing_bucket_is_one_line_and_exit_2() {
    let (acct, dir) = setup();
    // The configured table location's bucket does not exist on the stand-in.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", "SELECT 1", "--engine", "local"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    let first = o.stderr.lines().next().unwrap();
    assert!(first.starts_with("error: S3 ListObjectsV2 (athq-logs-"), "{}", o.stderr);
    assert!(first.ends_with("NoSuchBucket: The specified bucket does not exist"), "{}", o.stderr);
    assert!(o.stderr.contains("hint: check the bucket name"), "{}", o.stderr);
    assert!(!o.stderr.contains("ServiceError(") && !o.stderr.contains("DispatchFailure("), "{}", o.stderr);
}

#[test]
fn partitions_missing_lists_s3_folders_the_catalog_lacks() {
    let (acct, dir) = setup();
    let bucket = format!("athq-logs-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let file = dir.path().join("f.log.gz");
    std::fs::write(&file, b"x").unwrap();
    for day in ["2026/10/31", "2026/11/01", "2026/11/02", "2026/11/03"] {
        let key = format!(
            "s3://{bucket}/AWSLogs/{id}/vpcflowlogs/us-east-1/{day}/{id}_vpcflowlogs_us-east-1_fl-1_x.log.gz",
            id = acct.id
        );
        acct.aws(&["s3", "cp", file.to_str().unwrap(), &key]);
    }
    // Not a date folder: ignored.
    acct.aws(&[
        "s3",
        "cp",
        file.to_str().unwrap(),
        &format!("s3://{bucket}/AWSLogs/{}/vpcflowlogs/us-east-1/notes/x", acct.id),
    ]);
    run(acct.athq(dir.path()).args(["table", "create", "--via", "glue", "--partitioning", "managed"]));
    let o = run(acct.athq(dir.path()).args([
        "partitions",
        "add",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-02",
        "--partitioning",
        "managed",
        "--via",
        "glue",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["partitions", "missing", "--partitioning", "managed"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let base = format!("s3://{bucket}/AWSLogs/{id}/vpcflowlogs/us-east-1", id = acct.id);
    assert_eq!(o.stdout, format!("{base}/2026/10/31/\n{base}/2026/11/03/\n"));
    assert!(o.stderr.contains("2 folder(s) in S3 have no partition in the catalog"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["partitions", "missing"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
}

/// Starts `athq run reject-top` as this account, to be signalled.
fn spawn_run(acct: &Account, dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
        .current_dir(dir)
        .envs(acct.env())
        .env(athq::env_vars::ATHQ_NOW, crate::NOW)
        .args(["run", "reject-top"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn kill(child: &std::process::Child, signal: &str) {
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap().success()
    );
}

#[test]
fn a_signal_during_the_start_call_stops_the_query_once_its_id_is_known() {
    let (acct, dir) = setup();
    acct.queue_executions(json!([{"states": ["RUNNING"], "start_delay_ms": 3000}]));
    let child = spawn_run(&acct, dir.path());
    std::thread::sleep(Duration::from_millis(1200));
    kill(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    let q = acct.history().pop().unwrap();
    assert_eq!(q["Status"]["State"], "CANCELLED", "{stderr}");
    let id = q["QueryExecutionId"].as_str().unwrap();
    assert!(stderr.contains(&format!("interrupted by SIGTERM: query {id} was stopped")), "{stderr}");
}

#[test]
fn a_signal_during_the_result_download_ends_the_run_at_once() {
    let (acct, dir) = setup();
    acct.queue_result(COLUMNS, &[vec!["203.0.113.9", "1", "1", "1", "1"]]);
    acct.queue_executions(json!([{"states": ["SUCCEEDED"], "results_delay_ms": 8000}]));
    let started = std::time::Instant::now();
    let child = spawn_run(&acct, dir.path());
    std::thread::sleep(Duration::from_millis(1500));
    kill(&child, "INT");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(5), "waited for the download: {:?}", started.elapsed());
    assert!(stderr.contains("error: interrupted by SIGINT"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn retries_of_server_errors_say_so_after_a_second() {
    let (acct, dir) = setup();
    // moto answers HTML 500 for an unknown execution id; the SDK retries it.
    let o = run(acct.athq(dir.path()).env("AWS_MAX_ATTEMPTS", "5").args(["status", "no-such-id"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("retrying Athena GetQueryExecution after HTTP 500 (attempt "), "{}", o.stderr);
    assert!(
        o.stderr.trim_end().lines().last().unwrap().starts_with("error: ") || o.stderr.contains("\nerror: "),
        "{}",
        o.stderr
    );
}

#[test]
fn a_missing_database_on_athena_is_input_to_fix() {
    let (acct, dir) = setup();
    acct.queue_executions(json!([{"states": ["FAILED"], "reason": "SCHEMA_NOT_FOUND: line 1:15: Schema 'flowdb' does not exist", "error_category": 2, "error_type": 1006}]));
    let o = run(acct.athq(dir.path()).args(["run", "reject-top"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("failed: SCHEMA_NOT_FOUND: line 1:15: Schema 'flowdb' does not exist"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("hint: create the database"), "{}", o.stderr);
    // Athena's result reuse means nothing on the embedded engine: refused, not ignored.
    let o = run(acct.athq(dir.path()).args([
        "run",
        "reject-top",
        "--engine",
        "local",
        "--source",
        ".",
        "--reuse-minutes",
        "5",
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--reuse-minutes is Athena's result reuse"), "{}", o.stderr);
}

#[test]
fn execution_parameters_reach_athena_as_typed_literals() {
    let (acct, dir) = setup();
    let sql = "SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr = ? AND dstport = ? AND action = ?";
    let o = run(acct.athq(dir.path()).args([
        "exec",
        "--sql",
        sql,
        "-P",
        "10.0.0.5",
        "-P",
        "22",
        "-P",
        "x' OR '1'='1",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let q = acct.history().pop().unwrap();
    // The statement is sent as written; the values go as execution parameters.
    assert_eq!(q["Query"], sql);
    assert_eq!(q["ExecutionParameters"], json!(["'10.0.0.5'", "22", "'x'' OR ''1''=''1'"]));
    // A count that does not match the placeholders is refused before anything starts.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", sql, "-P", "10.0.0.5"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("the SQL has 3 `?` placeholder(s) and 1 value(s) were given with -P"),
        "{}",
        o.stderr
    );
    assert_eq!(acct.history().len(), 1);
}

#[test]
fn table_convert_writes_parquet_in_batches_of_at_most_100_partitions_and_resumes() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    acct.aws(&["glue", "create-database", "--database-input", "Name=flowdb"]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{id}/athena/\ntable:\n  location: s3://logs-{id}/AWSLogs/\n  accounts: ['{id}', '111122223333']\n  regions: [us-east-1]\n",
        id = acct.id
    ));
    let target = format!("s3://logs-{}/parquet/", acct.id);
    let convert = |extra: &[&str]| {
        let mut args = vec!["table", "convert", "parquet", "--from", "2026-09-01", "--to", "2026-10-30"];
        args.extend(["--target-location", target.as_str()]);
        args.extend(extra);
        run(acct.athq(dir.path()).args(&args))
    };

    // --print shows the plan and runs nothing: 60 days × 2 accounts = 120 partitions.
    let o = convert(&["--print"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("120 partition(s) to write in 2 statement(s)"), "{}", o.stderr);
    assert!(o.stdout.starts_with("-- 100 partition(s), 2026-09-01T00:00:00 to 2026-10-20T00:00:00\nCREATE TABLE \"flowdb\".\"vpc_flow_logs_parquet\""), "{}", o.stdout);
    assert!(
        o.stdout.contains("-- 20 partition(s), 2026-10-21T00:00:00 to 2026-10-30T00:00:00\nINSERT INTO"),
        "{}",
        o.stdout
    );
    assert!(acct.history().is_empty());

    // Run: the CTAS, then the INSERT INTO, in that order.
    let o = convert(&[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("statement 1 of 2 (CREATE TABLE AS, 100 partition(s)"), "{}", o.stderr);
    let ran: Vec<String> = acct.history().iter().map(|q| q["Query"].as_str().unwrap().to_string()).collect();
    assert_eq!(ran.len(), 2);
    assert!(
        ran[0].starts_with("CREATE TABLE \"flowdb\".\"vpc_flow_logs_parquet\"\nWITH (\n  format = 'PARQUET'"),
        "{}",
        ran[0]
    );
    assert!(ran[0].contains(&format!("external_location = '{target}'")), "{}", ran[0]);
    assert_eq!(ran[0].matches(" AND \"day\" = '").count(), 100);
    assert!(ran[1].starts_with("INSERT INTO \"flowdb\".\"vpc_flow_logs_parquet\"\nSELECT"), "{}", ran[1]);
    assert_eq!(ran[1].matches(" AND \"day\" = '").count(), 20);

    // The copy is an AWS-shaped Parquet table: athq's own profile of it creates it in Glue and adds
    // the first 50 days' partitions, as a stopped conversion would have left them; the next run
    // writes only the rest, with INSERT INTO.
    let shape = [
        "--table",
        "vpc_flow_logs_parquet",
        "--format",
        "parquet",
        "--hive",
        "--partitioning",
        "managed",
        "--location",
        target.as_str(),
    ];
    let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue"]).args(shape));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(acct
        .athq(dir.path())
        .args(["partitions", "add", "--via", "glue", "--from", "2026-09-01", "--to", "2026-10-20"])
        .args(shape));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = convert(&[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("20 partition(s) to write in 1 statement(s); 100 already there"),
        "{}",
        o.stderr
    );
    let ran: Vec<String> = acct.history().iter().map(|q| q["Query"].as_str().unwrap().to_string()).collect();
    assert_eq!(ran.len(), 3);
    assert!(
        ran[2].starts_with("INSERT INTO")
            && ran[2].contains("'2026/10/21'")
            && !ran[2].contains("'2026/10/20'")
    );

    // `--to parquet` is pointed at its place; the copy cannot be the table itself.
    let o = run(acct.athq(dir.path()).args([
        "table",
        "convert",
        "--to",
        "parquet",
        "--from",
        "2026-09-01",
        "--target-location",
        target.as_str(),
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("write `athq table convert parquet --from"), "{}", o.stderr);
    let o = convert(&["--target", "vpc_flow_logs"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("cannot be the table itself"), "{}", o.stderr);
}

#[test]
fn firehose_partitions_are_added_and_found_missing_by_their_hour_folders() {
    let (acct, dir) = setup();
    let bucket = format!("athq-fh-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let file = dir.path().join("obj.gz");
    std::fs::write(&file, b"x").unwrap();
    for hour in ["2017/01/14/06", "2017/01/14/07", "2017/01/14/08"] {
        let stamp = hour.replace('/', "-");
        let key = format!(
            "s3://{bucket}/flowlogs/{hour}/flowlogs-stream-1-{stamp}-01-02-3f2d1c0b-aaaa-4bbb-8ccc-123456789012.gz"
        );
        acct.aws(&["s3", "cp", file.to_str().unwrap(), &key]);
    }
    let location = format!("s3://{bucket}/flowlogs/");
    let shape = [
        "--layout",
        "firehose",
        "--hourly",
        "--partitioning",
        "managed",
        "--partition-column",
        "ingestdatetime",
        "--location",
        location.as_str(),
    ];
    let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue"]).args(shape));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let t =
        &acct.aws(&["glue", "get-table", "--database-name", "flowdb", "--name", "vpc_flow_logs"])["Table"];
    assert_eq!(t["PartitionKeys"][0]["Name"], "ingestdatetime");
    assert!(t["Parameters"].get("skip.header.line.count").is_none(), "Firehose objects have no header: {t}");
    // The AWS article's partition: one hour, its value as the article writes it.
    let o = run(acct
        .athq(dir.path())
        .args(["partitions", "add", "--via", "glue", "--from", "2017-01-14", "--to", "2017-01-14"])
        .args(shape));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let parts = acct.aws(&[
        "glue",
        "get-partitions",
        "--database-name",
        "flowdb",
        "--table-name",
        "vpc_flow_logs",
        "--expression",
        "ingestdatetime = '2017-01-14-07'",
    ]);
    assert_eq!(parts["Partitions"][0]["StorageDescriptor"]["Location"], format!("{location}2017/01/14/07/"));
    // Drop one hour from the catalog: `missing` finds its folder again.
    let o = run(acct
        .athq(dir.path())
        .args(["partitions", "drop", "--from", "2017-01-14", "--to", "2017-01-14", "--print"])
        .args(shape));
    assert!(o.stdout.contains("PARTITION (`ingestdatetime` = '2017-01-14-07')"), "{}", o.stdout);
    acct.aws(&[
        "glue",
        "delete-partition",
        "--database-name",
        "flowdb",
        "--table-name",
        "vpc_flow_logs",
        "--partition-values",
        "2017-01-14-07",
    ]);
    let o = run(acct.athq(dir.path()).args(["partitions", "missing"]).args(shape));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, format!("{location}2017/01/14/07/\n"));
    // Monthly partitions are Firehose's only.
    let o = run(acct.athq(dir.path()).args(["table", "ddl", "--monthly"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("monthly partitions are for the firehose layout"), "{}", o.stderr);
}

#[test]
fn a_chart_draws_athenas_rows_as_the_embedded_engines() {
    let (acct, dir) = setup();
    let rows: Vec<Vec<String>> = (0..48)
        .map(|h| {
            let at = jiff::Timestamp::from_second(1_795_000_000 / 3600 * 3600 + h * 3600).unwrap();
            let bytes = if h == 30 { 8 << 30 } else { (1 << 30) + h * (1 << 24) };
            vec![
                at.strftime("%Y-%m-%d %H:%M:%S.000").to_string(),
                "10".into(),
                "1".into(),
                "99".into(),
                bytes.to_string(),
            ]
        })
        .collect();
    let borrowed: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let columns = [
        ("bucket_start", "timestamp"),
        ("flows", "bigint"),
        ("rejected_flows", "bigint"),
        ("total_packets", "bigint"),
        ("total_bytes", "bigint"),
    ];
    acct.queue_result(&columns, &borrowed);
    let o = run(acct.athq(dir.path()).env("COLUMNS", "70").args([
        "-q",
        "run",
        "bytes-over-time",
        "--format",
        "chart",
        "--y",
        "total_bytes",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("total_bytes  (max 8.0 GiB at 11-19 17:00)\n8.0 GiB ┤"), "{}", o.stdout);
    // The peak is the only bar that reaches the top row.
    assert_eq!(o.stdout.lines().nth(1).unwrap().matches('█').count(), 1, "{}", o.stdout);
}
