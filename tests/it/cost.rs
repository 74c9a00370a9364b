//! Cost before and after a query, against the stand-in: `--estimate` sums the S3 objects of the
//! window's partitions (objects of known sizes; for Parquet, the column chunks the query reads,
//! checked against DuckDB's reading of the same footers), `--max-scan` / `max_scan` refuse to start
//! a query over the limit, and a query Athena cancels at the work group's per-query scan limit says
//! so, with the limit read from GetWorkGroup.

use std::path::Path;

use serde_json::{Value, json};

use crate::run;
use crate::standin::Account;

/// `--days 1` with the tests' clock (2026-11-22T10:26) reads the 11/21 and 11/22 folders only.
pub fn setup(format: &str, extra: &str) -> (Account, tempfile::TempDir) {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    for b in ["results", "logs"] {
        acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-{b}-{}", acct.id)]);
    }
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{id}/athena/\n{extra}table:\n  location: s3://athq-logs-{id}/AWSLogs/\n  accounts: ['{id}']\n  regions: [us-east-1]\n  format: {format}\n",
        id = acct.id
    ));
    (acct, dir)
}

pub fn put(acct: &Account, dir: &Path, day: &str, name: &str, bytes: &[u8]) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let key = format!("AWSLogs/{id}/vpcflowlogs/us-east-1/{day}/{name}", id = acct.id);
    acct.aws(&[
        "s3api",
        "put-object",
        "--bucket",
        &format!("athq-logs-{}", acct.id),
        "--key",
        &key,
        "--body",
        file.to_str().unwrap(),
    ]);
}

/// `athq run reject-top --days 1 --estimate --format json`: the object it prints, and the run.
fn estimate_json(acct: &Account, dir: &Path) -> (Value, crate::Out) {
    let o = run(acct.athq(dir).args(["run", "reject-top", "--days", "1", "--estimate", "--format", "json"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    (serde_json::from_str(&o.stdout).unwrap(), o)
}

const MIN_COST: f64 = 10.0 * 1024.0 * 1024.0 / 1099511627776.0 * 5.0;

#[test]
fn estimate_sums_the_windows_objects_and_starts_nothing() {
    let (acct, dir) = setup("text", "");
    for (day, name, size) in [
        ("2026/11/21", "a.log.gz", 1000),
        ("2026/11/21", "b.log.gz", 2000),
        ("2026/11/21", "c.log.gz", 3000),
        ("2026/11/22", "d.log.gz", 4000),
        ("2026/11/18", "old.log.gz", 999_999),
        ("2026/11/20", "before.log.gz", 77_777),
    ] {
        put(&acct, dir.path(), day, name, &vec![b'x'; size]);
    }
    let (v, o) = estimate_json(&acct, dir.path());
    assert_eq!(v["bytes"], 10_000);
    assert_eq!(v["objects"], 4);
    assert!((v["cost_usd"].as_f64().unwrap() - MIN_COST).abs() < 1e-12, "the 10 MB minimum: {v}");
    assert!(o.stderr.contains("would scan at most 9.8 KiB (10000 bytes) in 4 object(s)"), "{}", o.stderr);
    assert!(acct.history().is_empty(), "--estimate started a query");
    // As a table, and for ad-hoc SQL (every partition counts: its predicates are not read).
    let o = run(acct.athq(dir.path()).args([
        "exec",
        "--sql",
        "SELECT srcaddr FROM vpc_flow_logs",
        "--estimate",
        "--format",
        "csv",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.lines().nth(1).unwrap().split(',').take(2).collect::<Vec<_>>(), ["1087776", "6"]);

    // Over a limit, nothing starts: exit 2 with the estimate and how to raise the limit.
    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--days", "1", "--max-scan", "5000"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("not started: the query would scan at most 9.8 KiB"), "{}", o.stderr);
    assert!(
        o.stderr.contains("more than the limit of 4.9 KiB")
            && o.stderr.contains("--max-scan SIZE, or max_scan in athq.yaml"),
        "{}",
        o.stderr
    );
    assert!(acct.history().is_empty());
    // Under it, the query runs.
    acct.queue_result(&[("srcaddr", "varchar")], &[vec!["192.0.2.1"]]);
    let o = run(acct.athq(dir.path()).args([
        "run",
        "reject-top",
        "--days",
        "1",
        "--max-scan",
        "1MB",
        "--format",
        "csv",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(acct.history().len(), 1);
    // The embedded engine costs nothing, and says so.
    let o = run(acct.athq(dir.path()).args([
        "run",
        "reject-top",
        "--engine",
        "local",
        "--source",
        ".",
        "--estimate",
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--estimate and --max-scan are for Athena"), "{}", o.stderr);
}

#[test]
fn max_scan_in_the_config_applies_to_every_query() {
    let (acct, dir) = setup("text", "max_scan: 5kB\n");
    put(&acct, dir.path(), "2026/11/21", "a.log.gz", &vec![b'x'; 6000]);
    let o = run(acct.athq(dir.path()).args(["run", "bytes-by-pair", "--days", "1"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("more than the limit of 4.9 KiB"), "{}", o.stderr);
    let (_, bad) = setup("text", "max_scan: lots\n");
    let o = run(acct.athq(bad.path()).args(["run", "bytes-by-pair", "--days", "1"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("`lots` is not a size"), "{}", o.stderr);
}

/// DuckDB's reading of the compressed bytes of `columns` in a Parquet file.
fn duck_column_bytes(file: &Path, columns: &[&str]) -> u64 {
    let list = columns.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT sum(total_compressed_size) FROM parquet_metadata('{}') WHERE path_in_schema IN ({list})",
        file.display()
    );
    let out = std::process::Command::new(crate::support::python())
        .args(["-c", &format!("import duckdb; print(duckdb.sql({sql:?}).fetchall()[0][0])")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn a_parquet_estimate_counts_only_the_columns_the_query_reads() {
    let (acct, dir) = setup("parquet", "");
    let samples = tempfile::tempdir().unwrap();
    let o = run(crate::local::athq(samples.path()).args([
        "sample",
        "--output",
        ".",
        "--format",
        "parquet",
        "--records",
        "20000",
        "--days",
        "1",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let files: Vec<std::path::PathBuf> = crate::local::walk(samples.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".parquet"))
        .take(3)
        .collect();
    assert_eq!(files.len(), 3);
    let columns = ["srcaddr", "dstport", "packets", "bytes", "action", "start", "end"];
    let mut expected = 0;
    for (i, f) in files.iter().enumerate() {
        let data = std::fs::read(f).unwrap();
        let footer = u32::from_le_bytes(data[data.len() - 8..data.len() - 4].try_into().unwrap()) as u64;
        expected += duck_column_bytes(f, &columns) + footer + 8;
        put(&acct, dir.path(), "2026/11/21", &format!("f{i}.log.parquet"), &data);
    }
    let whole: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    let (v, _) = estimate_json(&acct, dir.path());
    assert_eq!(v["bytes"].as_u64().unwrap(), expected);
    assert_eq!(v["objects"], 3);
    assert!(expected < whole * 3 / 4, "the chunks of 7 of 14 columns: {expected} of {whole}");
    // One ranged GET of each object's tail reads its footer.
    let proxy = crate::standin::FaultProxy::start(json!([]));
    let o = run(acct.athq_via(dir.path(), &proxy).args(["run", "reject-top", "--days", "1", "--estimate"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let gets: Vec<Value> = proxy.log().into_iter().filter(|r| r["op"] == "GetObject").collect();
    assert_eq!(gets.len(), 3, "{gets:?}");
    assert!(gets.iter().all(|g| g["range"].as_str().is_some_and(|r| r.starts_with("bytes="))), "{gets:?}");
    // A query that reads no column is estimated at its footers, and says so.
    let o = run(acct.athq(dir.path()).args([
        "exec",
        "--sql",
        "SELECT COUNT(*) FROM vpc_flow_logs",
        "--estimate",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("(footers only: the query reads no column)"), "{}", o.stderr);
}

#[test]
fn a_query_cancelled_at_the_work_groups_scan_limit_says_so() {
    let acct = Account::new();
    acct.aws(&[
        "athena",
        "create-work-group",
        "--name",
        "capped",
        "--configuration",
        "BytesScannedCutoffPerQuery=10485760",
    ]);
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: capped\noutput_location: s3://athq-results-{}/athena/\n",
        acct.id
    ));
    acct.queue_executions(json!([{"states": ["RUNNING", "CANCELLED"], "data_scanned": 10_500_000, "reason": "Query cancelled: data scanned limit exceeded"}]));
    let o = run(acct.athq(dir.path()).args(["run", "bytes-by-pair", "--days", "3"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("it reached work group capped's per-query scan limit of 10.0 MiB (BytesScannedCutoffPerQuery = 10485760) after scanning 10.0 MiB"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("hint: narrow the window") && o.stderr.contains("--estimate"), "{}", o.stderr);
    // A cancellation that is not the limit's is left as Athena gave it.
    acct.queue_executions(
        json!([{"states": ["CANCELLED"], "data_scanned": 1000, "reason": "cancelled by a user"}]),
    );
    let o = run(acct.athq(dir.path()).args(["run", "bytes-by-pair", "--days", "3"]));
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("was cancelled: cancelled by a user") && !o.stderr.contains("scan limit"),
        "{}",
        o.stderr
    );
}

/// One object's key below the bucket, for an account, region and hour.
fn hourly_key(account: &str, region: &str, at: jiff::civil::DateTime, n: usize) -> String {
    format!("AWSLogs/{account}/vpcflowlogs/{region}/{}/f{n}.log.gz", at.strftime("%Y/%m/%d/%H"))
}

/// An organisation bucket: the table's account and region, two other accounts and two other
/// regions, an hourly table. The estimate of 3, 30 and 400 days counts exactly the table's objects
/// of the window's hours, and lists nothing but folders below the table's root.
#[test]
fn an_estimate_in_a_shared_bucket_counts_only_the_tables_objects() {
    use jiff::civil::DateTime;
    use jiff::tz::TimeZone;
    let acct = crate::standin::Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    let bucket = format!("athq-logs-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\ntable:\n  location: s3://{bucket}/AWSLogs/\n  accounts: ['{}']\n  regions: [us-east-1]\n  granularity: hour\n",
        acct.id
    ));
    let now = athq::render::window::parse_time(crate::NOW).unwrap();
    let now_utc = now.to_zoned(TimeZone::UTC).datetime();
    let this_hour = now_utc.with().minute(0).second(0).subsec_nanosecond(0).build().unwrap();
    let hour = |h: i64| this_hour.checked_sub(jiff::SignedDuration::from_hours(h)).unwrap();
    // The table's objects: one every 13 hours over 420 days, and every hour around each window's
    // first hour and around now.
    let mut hours: Vec<DateTime> = (0..420 * 24).step_by(13).map(hour).collect();
    for days in [3i64, 30, 400] {
        hours.extend((days * 24 - 3..days * 24 + 3).map(hour));
    }
    hours.extend((-2..3).map(hour));
    let tree = tempfile::tempdir().unwrap();
    let mut ours = Vec::new();
    for (n, at) in hours.iter().enumerate() {
        let key = hourly_key(&acct.id, "us-east-1", *at, n);
        let size = 100 + n % 50;
        let path = tree.path().join(&key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, vec![b'x'; size]).unwrap();
        ours.push((*at, size as u64));
    }
    // Everyone else's, in the same hours' folders: other accounts, and other regions of ours.
    for (account, region) in [
        ("210987654321", "us-east-1"),
        ("109876543210", "us-east-1"),
        (&*acct.id, "eu-west-1"),
        (&*acct.id, "ap-south-1"),
    ] {
        for (n, at) in hours.iter().enumerate().step_by(7) {
            let path = tree.path().join(hourly_key(account, region, *at, n));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, b"not the table's").unwrap();
        }
    }
    acct.aws(&[
        "s3",
        "cp",
        "--recursive",
        "--quiet",
        tree.path().to_str().unwrap(),
        &format!("s3://{bucket}/"),
    ]);

    let proxy = crate::standin::FaultProxy::start(json!([]));
    let floor = |t: jiff::Timestamp| {
        let d = t.to_zoned(TimeZone::UTC).datetime();
        d.with().minute(0).second(0).subsec_nanosecond(0).build().unwrap()
    };
    for days in [3i64, 30, 400] {
        // The hours whose folders hold the window's records: from 10 minutes before its start to
        // an hour after its end (AWS delivers late), as Athena's partition predicate selects them.
        let from = now.checked_sub(jiff::SignedDuration::from_hours(24 * days)).unwrap();
        let lo = floor(from.checked_sub(jiff::SignedDuration::from_mins(10)).unwrap());
        let hi = floor(
            now.checked_sub(jiff::SignedDuration::from_secs(1))
                .unwrap()
                .checked_add(jiff::SignedDuration::from_hours(1))
                .unwrap(),
        );
        let inside: Vec<&(DateTime, u64)> = ours.iter().filter(|(at, _)| lo <= *at && *at <= hi).collect();
        let o = run(acct.athq_via(dir.path(), &proxy).args([
            "run",
            "bytes-by-pair",
            "--days",
            &days.to_string(),
            "--estimate",
            "--format",
            "json",
        ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["objects"].as_u64().unwrap() as usize, inside.len(), "{days} days: {v}");
        assert_eq!(v["bytes"].as_u64().unwrap(), inside.iter().map(|(_, s)| s).sum::<u64>(), "{days} days");
        assert_eq!(v["scope"], "partitions", "{v}");
    }
    // Every listing was below the table's own root: never the location, another account or region.
    let root = format!("AWSLogs/{}/vpcflowlogs/us-east-1/", acct.id);
    let listings: Vec<String> = proxy
        .log()
        .iter()
        .filter(|r| r["op"] == "ListObjectsV2")
        .map(|r| r["query"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!listings.is_empty());
    for q in &listings {
        let prefix = q.split('&').find_map(|p| p.strip_prefix("prefix=")).unwrap_or_default();
        let prefix = prefix.replace("%2F", "/");
        assert!(prefix.starts_with(&root), "a listing outside the table's root: {q}");
    }
    // 400 days is months, days and hours: far fewer listings than the 9,600 hours it spans.
    assert!(listings.len() < 3 * 130, "{} listings", listings.len());
    // Without accounts and regions, the location is listed, and the estimate says so.
    let wide = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\ntable:\n  location: s3://{bucket}/AWSLogs/\n  granularity: hour\n"
    ));
    let o = run(acct.athq(wide.path()).args([
        "run",
        "bytes-by-pair",
        "--days",
        "3",
        "--estimate",
        "--format",
        "json",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["scope"], "location", "{v}");
    assert!(o.stderr.contains("every account's and region's objects"), "{}", o.stderr);
}
