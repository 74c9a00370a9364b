//! The embedded engine end to end: `athq sample` writes flow logs, `athq run --engine local`
//! answers, and DuckDB (from PyPI, tests/reference/duck.py) answers the same question over the
//! same files. Answers must be equal, group for group and sum for sum.

use std::path::Path;
use std::process::Command;

use crate::standin::Account;
use crate::{Out, run};

/// The window `--days 3` resolves to with the tests' clock.
const WINDOW: &str = "\"end\" >= 1795083960 AND \"start\" < 1795343160";

pub fn athq(dir: &Path) -> assert_cmd::Command {
    let mut cmd = crate::support::athq(dir);
    cmd.env(athq::env_vars::ATHQ_VPC_CIDRS, "10.20.0.0/16");
    cmd
}

pub fn sample(dir: &Path, args: &[&str]) {
    let mut cmd = athq(dir);
    cmd.args(["sample", "--output", dir.to_str().unwrap()]).args(args);
    if !args.contains(&"--records") {
        cmd.args(["--records", "20000"]);
    }
    let o = run(&mut cmd);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

pub fn local(dir: &Path, query: &str, extra: &[&str]) -> Out {
    let o = run(athq(dir)
        .args([
            "run",
            query,
            "--engine",
            "local",
            "--source",
            dir.to_str().unwrap(),
            "--days",
            "3",
            "--format",
            "csv",
        ])
        .args(extra));
    assert_eq!(o.code, 0, "{query}: {}", o.stderr);
    o
}

/// `athq exec` on the embedded engine over the files under `dir`, as CSV, with `extra` flags.
fn exec_csv(dir: &Path, sql: &str, extra: &[&str]) -> Out {
    let src = dir.to_str().unwrap();
    run(athq(dir)
        .args(["exec", "--engine", "local", "--source", src, "--format", "csv"])
        .args(extra)
        .args(["--sql", sql]))
}

pub fn duck(format: &str, root: &Path, sql: &str) -> String {
    let out = Command::new(crate::support::python())
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/duck.py"))
        .args([format, root.to_str().unwrap(), sql])
        .output()
        .unwrap();
    assert!(out.status.success(), "duckdb: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

pub fn bytes_by_pair_sql() -> String {
    format!(
        "SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes, SUM(packets) AS total_packets, COUNT(*) AS flows FROM flows \
         WHERE {WINDOW} AND log_status = 'OK' GROUP BY srcaddr, dstaddr ORDER BY total_bytes DESC, srcaddr, dstaddr LIMIT 100000"
    )
}

/// Rejected sources with their three most-tried ports; `filter` narrows the sources.
fn reject_top_sql(filter: &str) -> String {
    format!(
        "WITH per_port AS (SELECT srcaddr, dstport, COUNT(*) AS n, SUM(packets) AS p, SUM(bytes) AS b FROM flows \
         WHERE {WINDOW} AND action = 'REJECT' {filter} GROUP BY srcaddr, dstport), \
         numbered AS (SELECT *, row_number() OVER (PARTITION BY srcaddr ORDER BY n DESC, dstport) AS k FROM per_port) \
         SELECT srcaddr, SUM(n) AS rejected_flows, SUM(p) AS total_packets, SUM(b) AS total_bytes, \
         COUNT(DISTINCT dstport) AS distinct_ports, \
         string_agg(CASE WHEN k <= 3 THEN dstport::VARCHAR || ':' || n::VARCHAR END, ', ' ORDER BY n DESC, dstport) AS top_ports \
         FROM numbered GROUP BY srcaddr ORDER BY rejected_flows DESC, srcaddr LIMIT 10000"
    )
}

/// 10.20.0.0/16 written without CIDR functions, so the reference does not share athq's logic.
fn internal(col: &str) -> String {
    format!("({col} LIKE '%.%' AND split_part({col}, '.', 1) = '10' AND split_part({col}, '.', 2) = '20')")
}

fn outbound_sql() -> String {
    format!(
        "SELECT dstport, CASE protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' WHEN 1 THEN 'ICMP' WHEN 58 THEN 'ICMPv6' \
         WHEN 47 THEN 'GRE' WHEN 50 THEN 'ESP' ELSE CAST(protocol AS VARCHAR) END AS proto, COUNT(*) AS flows, \
         SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows, COUNT(DISTINCT srcaddr) AS internal_sources, \
         COUNT(DISTINCT dstaddr) AS external_destinations, SUM(bytes) AS total_bytes FROM flows \
         WHERE {WINDOW} AND {} AND NOT {} AND dstport <= 1023 GROUP BY 1, 2 ORDER BY flows DESC, dstport, proto LIMIT 100000",
        internal("srcaddr"),
        internal("dstaddr")
    )
}

const PROTO: &str = "CASE protocol WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' WHEN 1 THEN 'ICMP' WHEN 58 THEN 'ICMPv6' \
     WHEN 47 THEN 'GRE' WHEN 50 THEN 'ESP' ELSE CAST(protocol AS VARCHAR) END";

/// The Drill article's outbound shape: internal source, external destination, protocol, port.
fn outbound_pairs_sql() -> String {
    format!(
        "SELECT srcaddr AS internal_source, dstaddr AS external_destination, {PROTO} AS proto, dstport, \
         COUNT(*) AS flows, SUM(packets) AS total_packets, SUM(bytes) AS total_bytes FROM flows \
         WHERE {WINDOW} AND {} AND NOT {} AND dstport <= 1023 GROUP BY 1, 2, 3, 4 \
         ORDER BY total_bytes DESC, 1, 2, 3, 4 LIMIT 100000",
        internal("srcaddr"),
        internal("dstaddr")
    )
}

fn inbound_pairs_sql() -> String {
    format!(
        "SELECT srcaddr AS internal_host, dstaddr AS external_peer, {PROTO} AS proto, srcport AS service_port, \
         COUNT(*) AS flows, SUM(packets) AS total_packets, SUM(bytes) AS total_bytes FROM flows \
         WHERE {WINDOW} AND action = 'ACCEPT' AND {} AND NOT {} AND srcport <= 1023 GROUP BY 1, 2, 3, 4 \
         ORDER BY total_bytes DESC, 1, 2, 3, 4 LIMIT 100000",
        internal("srcaddr"),
        internal("dstaddr")
    )
}

fn bucket_sql() -> String {
    format!(
        "SELECT strftime(to_timestamp((\"start\" // 3600) * 3600) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.000 UTC') AS bucket_start, \
         COUNT(*) AS flows, SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows, SUM(packets) AS total_packets, \
         SUM(bytes) AS total_bytes FROM flows WHERE {WINDOW} AND log_status = 'OK' GROUP BY 1 ORDER BY 1"
    )
}

/// The seed queries over one sample, against DuckDB.
fn seed_queries_match(dir: &Path, format: &str) {
    let big = ["-p", "limit=100000"];
    let o = local(dir, "bytes-by-pair", &big);
    assert!(o.stdout.lines().count() > 100, "too few groups to mean anything: {}", o.stdout.lines().count());
    assert_eq!(o.stdout, duck(format, dir, &bytes_by_pair_sql()));
    let o = local(dir, "reject-top", &["-p", "limit=10000"]);
    assert!(o.stdout.lines().nth(1).is_some_and(|l| l.contains(':')), "{}", o.stdout);
    assert_eq!(o.stdout, duck(format, dir, &reject_top_sql("")));
    let internal_only = local(dir, "reject-top", &["-p", "limit=10000", "-p", "sources=internal"]);
    assert_eq!(
        internal_only.stdout,
        duck(format, dir, &reject_top_sql(&format!("AND {}", internal("srcaddr"))))
    );
    assert!(internal_only.stdout.lines().count() > 2, "{}", internal_only.stdout);
    let external_only = local(dir, "reject-top", &["-p", "limit=10000", "-p", "sources=external"]);
    assert_eq!(
        external_only.stdout,
        duck(format, dir, &reject_top_sql(&format!("AND NOT {}", internal("srcaddr"))))
    );
    assert!(external_only.stdout.lines().count() > 2, "{}", external_only.stdout);
    assert_eq!(local(dir, "outbound-well-known-ports", &big).stdout, duck(format, dir, &outbound_sql()));
    assert_eq!(local(dir, "bytes-over-time", &[]).stdout, duck(format, dir, &bucket_sql()));
    let pairs = local(dir, "outbound-pairs", &big).stdout;
    assert!(pairs.lines().count() > 10, "{pairs}");
    assert_eq!(pairs, duck(format, dir, &outbound_pairs_sql()));
    let pairs = local(dir, "inbound-pairs", &big).stdout;
    assert!(pairs.lines().count() > 2, "{pairs}");
    assert_eq!(pairs, duck(format, dir, &inbound_pairs_sql()));
}

#[test]
fn text_in_the_plain_layout_matches_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &[]);
    seed_queries_match(dir.path(), "text");
    // The plain layout nests files in YYYY/MM/DD: a reader that does not descend finds none.
    let o = local(dir.path(), "reject-top", &[]);
    assert!(o.stderr.contains("local · 864 file(s) read"), "{}", o.stderr);
}

#[test]
fn text_in_the_hive_layout_with_v5_fields_matches_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--hive", "--hourly", "--fields", "v5", "--seed", "7"]);
    assert!(dir.path().join("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=21/hour=13").is_dir());
    seed_queries_match(dir.path(), "text");
}

#[test]
fn a_custom_field_order_and_mixed_formats_match_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(
        dir.path(),
        &[
            "--fields",
            "${log-status} ${end} ${start} ${bytes} ${packets} ${action} ${protocol} ${dstport} ${srcport} ${dstaddr} ${srcaddr} ${interface-id}",
            "--seed",
            "3",
        ],
    );
    // A second flow log, in the default format, in the same tree.
    sample(dir.path(), &["--seed", "4", "--account", "210987654321", "--records", "5000"]);
    seed_queries_match(dir.path(), "text");
}

#[test]
fn parquet_matches_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--format", "parquet", "--fields", "v5", "--seed", "11"]);
    seed_queries_match(dir.path(), "parquet");
    // The footer says what the window read: files, and the records their footers hold.
    let o = local(dir.path(), "reject-top", &[]);
    // Hourly files, as AWS delivers Parquet: three days and the hour the window starts in.
    assert!(o.stderr.starts_with("local · 73 file(s) read ("), "{}", o.stderr);
    assert!(o.stderr.contains(" · 20000 records · "), "{}", o.stderr);
}

pub fn python(script: &str, args: &[&str]) {
    let out = Command::new(crate::support::python()).arg("-c").arg(script).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn corrupt_lines_are_counted_and_the_good_lines_answered() {
    let clean = tempfile::tempdir().unwrap();
    sample(clean.path(), &[]);
    let dirty = tempfile::tempdir().unwrap();
    python(
        "import shutil,sys; shutil.copytree(sys.argv[1], sys.argv[2], dirs_exist_ok=True)",
        &[clean.path().to_str().unwrap(), dirty.path().to_str().unwrap()],
    );
    let mut files = Vec::new();
    fn walk(p: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() { walk(&e, out) } else { out.push(e) }
        }
    }
    walk(&dirty.path().join("AWSLogs"), &mut files);
    files.sort();
    let victim = &files[files.len() - 2];
    python(
        "import gzip,sys\nlines = gzip.open(sys.argv[1], 'rt').read().splitlines()\n\
         lines.insert(5, 'this is not a flow log')\n\
         lines.insert(9, '2 123456789012 eni-1 10.20.0.1 10.20.0.2 443 555 6 1 12x 1795300000 1795300010 ACCEPT OK')\n\
         lines.append('2 123456789012 eni-1 10.20.0.1')\n\
         gzip.open(sys.argv[1], 'wt').write('\\n'.join(lines) + '\\n')",
        &[victim.to_str().unwrap()],
    );
    let o = local(dirty.path(), "bytes-by-pair", &["-p", "limit=100000"]);
    assert!(o.stderr.contains("warning: 3 corrupt line(s) skipped and not counted; first: "), "{}", o.stderr);
    assert!(o.stderr.contains(":6: 6 fields where the header names 14"), "{}", o.stderr);
    assert_eq!(o.stdout, duck("text", clean.path(), &bytes_by_pair_sql()));
}

#[test]
fn placeholders_are_nulls_and_nulls_sort_last() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--fields", "v3", "--seed", "5"]);
    let lib = dir.path().join("q");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(
        lib.join("by-instance.sql"),
        "/*\nname: by-instance\nversion: 1\ntitle: t\nfields: [instance-id, srcaddr, start, end]\n*/\n\
         SELECT instance_id, COUNT(*) AS n, COUNT(srcaddr) AS with_address\nFROM {{ table }}\nWHERE {{ time_filter() }}\n\
         GROUP BY instance_id\nORDER BY instance_id DESC\n",
    )
    .unwrap();
    let o = local(dir.path(), "by-instance", &["--library", lib.to_str().unwrap()]);
    let expected = duck(
        "text",
        dir.path(),
        &format!(
            "SELECT instance_id, COUNT(*) AS n, COUNT(srcaddr) AS with_address FROM flows WHERE {WINDOW} GROUP BY instance_id ORDER BY instance_id DESC NULLS LAST"
        ),
    );
    assert_eq!(o.stdout, expected);
    // The NULL group (interfaces without an instance, and NODATA rows) is there, and last.
    assert!(o.stdout.lines().last().unwrap().starts_with(','), "{}", o.stdout);
}

#[test]
fn every_library_query_runs_on_the_embedded_engine() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--fields", "v5", "--records", "5000"]);
    for q in athq::library::Library::builtin().unwrap().iter() {
        let extra: Vec<&str> = if q.param("ip").is_some() { vec!["-p", "ip=10.20.0.9"] } else { vec![] };
        local(dir.path(), &q.name, &extra);
    }
    // A query that needs fields the files do not have says so.
    let v2 = tempfile::tempdir().unwrap();
    sample(v2.path(), &["--records", "100"]);
    let o = run(athq(v2.path()).args([
        "run",
        "top-instances",
        "--engine",
        "local",
        "--source",
        v2.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("needs `instance-id` (format v3 or later)"), "{}", o.stderr);
}

#[test]
fn the_window_prunes_files_before_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--days", "30", "--records", "8640"]);
    let o = local(dir.path(), "reject-top", &[]);
    // 3 days and 10 minutes of 5-minute files (the delivery slack), of 30 days' 8,640: 0.100 of them.
    assert!(o.stderr.contains("local · 866 file(s) read"), "{}", o.stderr);
    assert!(o.stderr.contains("7774 skipped by date"), "{}", o.stderr);
    let empty = tempfile::tempdir().unwrap();
    let o = run(athq(empty.path()).args([
        "run",
        "reject-top",
        "--engine",
        "local",
        "--source",
        empty.path().to_str().unwrap(),
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no flow-log files"), "{}", o.stderr);
}

#[test]
fn an_s3_source_reads_the_same_files() {
    let acct = Account::new();
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "5000"]);
    let bucket = format!("athq-flowlogs-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    acct.aws(&[
        "s3",
        "cp",
        "--recursive",
        "--quiet",
        dir.path().join("AWSLogs").to_str().unwrap(),
        &format!("s3://{bucket}/logs/AWSLogs/"),
    ]);
    let from_disk = local(dir.path(), "bytes-by-pair", &["-p", "limit=100000"]);
    let o = run(athq(dir.path())
        .envs(acct.env())
        .args([
            "run",
            "bytes-by-pair",
            "--engine",
            "local",
            "--days",
            "3",
            "--format",
            "csv",
            "-p",
            "limit=100000",
        ])
        .args(["--source", &format!("s3://{bucket}/logs/AWSLogs/")]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, from_disk.stdout);
    assert!(o.stderr.contains("local · 864 file(s) read"), "{}", o.stderr);

    // A damaged object and an empty one among them: skipped and named, the answer unchanged.
    let day = "logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21";
    let junk = dir.path().join("junk.log.gz");
    std::fs::write(&junk, b"\x1f\x8b\x08 not really gzip").unwrap();
    let empty = dir.path().join("empty.log.gz");
    std::fs::write(&empty, b"").unwrap();
    for (file, name) in [(&junk, "zz-junk.log.gz"), (&empty, "zz-empty.log.gz")] {
        acct.aws(&["s3", "cp", "--quiet", file.to_str().unwrap(), &format!("s3://{bucket}/{day}/{name}")]);
    }
    let o = run(athq(dir.path())
        .envs(acct.env())
        .args(["run", "bytes-by-pair", "--engine", "local", "--days", "3", "--format", "csv"])
        .args(["-p", "limit=100000", "--source", &format!("s3://{bucket}/logs/AWSLogs/")]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, from_disk.stdout);
    assert!(o.stderr.contains("2 unreadable"), "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("s3://{bucket}/{day}/zz-empty.log.gz: the file is empty")),
        "{}",
        o.stderr
    );
}

/// `1.5 MiB` → bytes.
pub fn bytes_of(human: &str) -> f64 {
    let (n, unit) = human.trim().split_once(' ').unwrap();
    let scale = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        other => panic!("unit {other}"),
    };
    n.parse::<f64>().unwrap() * scale
}

#[test]
fn an_s3_parquet_source_reads_only_the_columns_a_query_needs() {
    let acct = Account::new();
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "20000", "--format", "parquet", "--hive"]);
    let bucket = format!("athq-parquet-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let root = dir.path().join("AWSLogs");
    acct.aws(&[
        "s3",
        "cp",
        "--recursive",
        "--quiet",
        root.to_str().unwrap(),
        &format!("s3://{bucket}/AWSLogs/"),
    ]);
    let junk = dir.path().join("junk.parquet");
    std::fs::write(&junk, b"PAR1 not a footer PAR1").unwrap();
    acct.aws(&[
        "s3",
        "cp",
        "--quiet",
        junk.to_str().unwrap(),
        &format!("s3://{bucket}/AWSLogs/junk.parquet"),
    ]);
    let from_disk = local(dir.path(), "bytes-by-pair", &["-p", "limit=100000"]);
    let o = run(athq(dir.path())
        .envs(acct.env())
        .args(["run", "bytes-by-pair", "--engine", "local", "--days", "3", "--format", "csv"])
        .args(["-p", "limit=100000", "--source", &format!("s3://{bucket}/AWSLogs/")]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout == from_disk.stdout, "{}", o.stderr);
    assert!(o.stderr.contains("1 unreadable"), "{}", o.stderr);
    // What S3 sent for one small column is a fraction of what it sent for the string columns:
    // only the column chunks a query reads are fetched (`read (1.2 MiB; 300 KiB fetched …)`).
    let fetched = |sql: &str| {
        let o = run(athq(dir.path()).envs(acct.env()).args(["exec", "--engine", "local", "--all"]).args([
            "--source",
            &format!("s3://{bucket}/AWSLogs/"),
            "--sql",
            sql,
        ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        let inner = o.stderr.split_once(" read (").and_then(|(_, rest)| rest.split_once(" fetched from S3"));
        let (_, fetched) =
            inner.and_then(|(inner, _)| inner.split_once("; ")).unwrap_or_else(|| panic!("{}", o.stderr));
        bytes_of(fetched)
    };
    let one = fetched("SELECT SUM(bytes) AS b FROM vpc_flow_logs");
    let strings = fetched(
        "SELECT MAX(srcaddr), MAX(dstaddr), MAX(interface_id), MAX(account_id), MAX(action), SUM(bytes) FROM vpc_flow_logs",
    );
    assert!(one * 2.0 < strings, "one column: {one} bytes; six: {strings} bytes");
}

/// A copy of a sample tree holding only the 2026/11/21 folder: a reference that knows no paths.
fn one_day_of(dir: &Path) -> tempfile::TempDir {
    let one_day = tempfile::tempdir().unwrap();
    let folder = "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21";
    python(
        "import shutil,sys; shutil.copytree(sys.argv[1], sys.argv[2])",
        &[dir.join(folder).to_str().unwrap(), one_day.path().join(folder).to_str().unwrap()],
    );
    one_day
}

#[test]
fn ad_hoc_sql_sees_the_partition_columns_and_prunes_files_by_them() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &[]);
    let src = dir.path().to_str().unwrap();
    let exec = |sql: &str| {
        let o = run(athq(dir.path())
            .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]));
        assert_eq!(o.code, 0, "{sql}: {}", o.stderr);
        o
    };
    // Athena's spelling: the partition column, the database-qualified table.
    let o = exec(
        "SELECT day, aws_account_id, aws_region, COUNT(*) AS flows, SUM(bytes) AS total_bytes \
         FROM \"default\".\"vpc_flow_logs\" WHERE day = '2026/11/21' GROUP BY 1, 2, 3",
    );
    assert!(
        o.stderr.contains("local · 288 file(s) read") && o.stderr.contains(", 576 pruned by partition"),
        "{}",
        o.stderr
    );
    // The reference: DuckDB over a tree holding only that day's folder.
    let one_day = one_day_of(dir.path());
    let want = duck(
        "text",
        one_day.path(),
        "SELECT '2026/11/21' AS day, '123456789012' AS aws_account_id, 'us-east-1' AS aws_region, \
         COUNT(*) AS flows, SUM(bytes) AS total_bytes FROM flows",
    );
    assert_eq!(o.stdout, want);
    // The catalog answers as Athena's does.
    assert!(exec("SHOW TABLES").stdout.contains("awsdatacatalog,default,vpc_flow_logs,BASE TABLE"));
    // DESCRIBE names Athena's types, as the table's DDL does.
    let cols = exec("DESCRIBE vpc_flow_logs").stdout;
    for line in ["\nsrcaddr,varchar,", "\nbytes,bigint,", "\nday,varchar,"] {
        assert!(cols.contains(line), "{line}: {cols}");
    }
    assert!(!cols.contains("Utf8") && !cols.contains("Int64"), "{cols}");
}

#[test]
fn partition_columns_work_on_parquet_too() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--format", "parquet", "--seed", "9"]);
    let src = dir.path().to_str().unwrap();
    let sql = "SELECT day, COUNT(*) AS flows, SUM(bytes) AS total_bytes FROM vpc_flow_logs \
               WHERE day = '2026/11/21' AND action = 'REJECT' GROUP BY day";
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let one_day = one_day_of(dir.path());
    let want = duck(
        "parquet",
        one_day.path(),
        "SELECT '2026/11/21' AS day, COUNT(*) AS flows, SUM(bytes) AS total_bytes FROM flows WHERE action = 'REJECT'",
    );
    assert_eq!(o.stdout, want);
    let o = run(athq(dir.path()).args([
        "exec",
        "--engine",
        "local",
        "--source",
        src,
        "--format",
        "csv",
        "--sql",
        "DESCRIBE vpc_flow_logs",
    ]));
    assert!(o.stdout.contains("\nbytes,bigint,") && o.stdout.contains("\nsrcaddr,varchar,"), "{}", o.stdout);
}

#[test]
fn athena_sql_with_contains_and_ipaddress_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &[]);
    let src = dir.path().to_str().unwrap();
    // The query as an Athena user writes it (issue 10's example), unchanged.
    let sql = "SELECT srcaddr, dstaddr, protocol, dstport, SUM(bytes) AS bytes FROM vpc_flow_logs \
               WHERE contains('10.20.0.0/16', CAST(srcaddr AS IPADDRESS)) \
               AND NOT contains('10.20.0.0/16', CAST(dstaddr AS IPADDRESS)) AND dstport < 1024 \
               GROUP BY 1,2,3,4 ORDER BY bytes DESC";
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let want = duck(
        "text",
        dir.path(),
        &format!(
            "SELECT srcaddr, dstaddr, protocol, dstport, SUM(bytes) AS bytes FROM flows \
             WHERE {} AND NOT {} AND dstport < 1024 GROUP BY 1,2,3,4 ORDER BY bytes DESC",
            internal("srcaddr"),
            internal("dstaddr")
        ),
    );
    let rows = |s: &str| {
        let mut v: Vec<String> = s.lines().map(String::from).collect();
        v.sort();
        v
    };
    assert!(o.stdout.lines().count() > 100, "{}", o.stdout);
    assert_eq!(rows(&o.stdout), rows(&want));
    let bytes: Vec<i64> =
        o.stdout.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().parse().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "not ordered by bytes");
    // `contains` is still a substring test when its first argument is not a network.
    let o = run(athq(dir.path()).args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql"]).arg(
        "SELECT contains('flow logs', 'log') AS text, contains('10.0.0.0/8', '::ffff:10.1.2.3') AS mapped, \
         contains('10.0.0.0/8', '11.0.0.1') AS outside",
    ));
    assert_eq!(o.stdout, "text,mapped,outside\ntrue,true,false\n", "{}", o.stderr);
}

#[test]
fn trino_time_functions_and_count_if_match_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "5000"]);
    let src = dir.path().to_str().unwrap();
    let sql = "SELECT date_format(from_unixtime(start), '%Y-%m-%d') AS day, hour(from_unixtime(start)) AS hour, \
               day_of_week(from_unixtime(start)) AS dow, count_if(action = 'REJECT') AS rejected, COUNT(*) AS flows, \
               SUM(date_diff('second', from_unixtime(start), from_unixtime(\"end\"))) AS seconds, \
               MIN(to_unixtime(date_add('hour', 1, from_unixtime(start))) - start) AS an_hour \
               FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1, 2, 3 ORDER BY 1, 2";
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let want = duck(
        "text",
        dir.path(),
        "SELECT strftime(make_timestamp(start * 1000000), '%Y-%m-%d') AS day, (start % 86400) // 3600 AS hour, \
         isodow(make_timestamp(start * 1000000)) AS dow, COUNT(*) FILTER (WHERE action = 'REJECT') AS rejected, \
         COUNT(*) AS flows, SUM(\"end\" - start) AS seconds, 3600.0::DOUBLE AS an_hour \
         FROM flows WHERE log_status = 'OK' GROUP BY 1, 2, 3 ORDER BY 1, 2",
    );
    assert!(o.stdout.lines().count() > 48, "{}", o.stdout);
    assert_eq!(o.stdout, want);
    // Parsing and formatting dates, and pulling a part out of a string.
    let sql = "SELECT format_datetime(date_parse(date_format(from_unixtime(start), '%Y/%m/%d'), '%Y/%m/%d'), 'yyyy-MM-dd') AS d, \
               regexp_extract(srcaddr, '^(\\d+)\\.', 1) AS first_octet, COUNT(*) AS flows \
               FROM vpc_flow_logs WHERE srcaddr LIKE '%.%' GROUP BY 1, 2 ORDER BY 1, 2";
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let want = duck(
        "text",
        dir.path(),
        "SELECT strftime(make_timestamp(start * 1000000), '%Y-%m-%d') AS d, split_part(srcaddr, '.', 1) AS first_octet, \
         COUNT(*) AS flows FROM flows WHERE srcaddr LIKE '%.%' GROUP BY 1, 2 ORDER BY 1, 2",
    );
    assert!(o.stdout.lines().count() > 10, "{}", o.stdout);
    assert_eq!(o.stdout, want);
    // A function the engine lacks: Trino's is said to be Trino's, a misspelt one gets the nearest
    // Trino name the engine has (not DataFusion's nearest, which suggested `translate`).
    for (sql, says) in [
        (
            "SELECT hamming_distance(srcaddr, dstaddr) FROM vpc_flow_logs",
            "function `hamming_distance` is a Trino function the embedded engine does not have",
        ),
        (
            "SELECT array_jion(array_agg(srcaddr), ',') FROM vpc_flow_logs",
            "function `array_jion` is not a Trino function; did you mean `array_join`?",
        ),
        (
            "SELECT sign(bytes) FROM vpc_flow_logs",
            "function `sign` is not available on the embedded engine; write CASE",
        ),
    ] {
        let o = run(athq(dir.path()).args(["exec", "--engine", "local", "--source", src, "--sql", sql]));
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr.contains(&format!("error: the SQL does not run on the embedded engine: {says}")),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn execution_parameters_bind_as_literals_on_the_embedded_engine() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "5000"]);
    let src = dir.path().to_str().unwrap();
    let exec = |sql: &str, params: &[&str]| {
        let mut cmd = athq(dir.path());
        cmd.args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", sql]);
        for p in params {
            cmd.args(["-P", p]);
        }
        let o = run(&mut cmd);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let with_params = exec(
        "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs WHERE dstport = ? AND action = ? AND '?' = '?'",
        &["22", "REJECT"],
    );
    let literal = exec(
        "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs WHERE dstport = 22 AND action = 'REJECT'",
        &[],
    );
    assert_eq!(with_params, literal);
    assert_ne!(literal, "n,b\n0,\n");
    // A hostile value is one string literal: it matches nothing rather than everything.
    let hostile = exec("SELECT COUNT(*) AS n FROM vpc_flow_logs WHERE action = ?", &["x' OR '1'='1"]);
    assert_eq!(hostile, "n\n0\n");
}

#[test]
fn ip_casts_check_and_canonicalise_values_as_trino_does() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("flows.log");
    // A hand-written file: one IPv6 source in capitals, one IPv4-mapped, one NODATA row.
    std::fs::write(
        &src,
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
         2 123456789012 eni-1 2001:DB8::1 10.20.0.5 443 5000 6 1 100 1795300000 1795300060 ACCEPT OK\n\
         2 123456789012 eni-1 ::ffff:10.20.0.7 10.20.0.5 443 5000 6 1 200 1795300000 1795300060 ACCEPT OK\n\
         2 123456789012 eni-1 - - - - - - - 1795300000 1795300060 - NODATA\n",
    )
    .unwrap();
    let exec = |sql: &str| {
        run(athq(dir.path()).args([
            "exec",
            "--engine",
            "local",
            "--source",
            src.to_str().unwrap(),
            "--format",
            "csv",
            "--sql",
            sql,
        ]))
    };
    let o = exec(
        "SELECT CAST(srcaddr AS IPADDRESS) AS src, TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.20.0.7' AS is7, \
         contains(IPPREFIX '10.20.9.9/16', TRY_CAST(srcaddr AS IPADDRESS)) AS inside, TRY_CAST('nope' AS IPADDRESS) AS bad \
         FROM vpc_flow_logs ORDER BY bytes",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "src,is7,inside,bad\n2001:db8::1,false,false,\n10.20.0.7,true,true,\n,,,\n");
    // A value that is not an address fails CAST as it does on Athena; TRY_CAST gave NULL above.
    let o = exec("SELECT CAST(interface_id AS IPADDRESS) FROM vpc_flow_logs");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("Cannot cast value to IPADDRESS: eni-1"), "{}", o.stderr);
    // A syntax error reads as one, not as the parser's debug form.
    let o = exec("SELECT srcaddr FROM vpc_flow_logs WHERE");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("syntax error: Expected: an expression, found: EOF"), "{}", o.stderr);
}

#[test]
fn firehose_delivery_matches_duckdb_and_prunes_by_its_hour_folders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("athq.yaml"), "table:\n  layout: firehose\n  granularity: hour\n")
        .unwrap();
    sample(dir.path(), &["--layout", "firehose", "--seed", "13"]);
    // Firehose's folders and object names, and no header line in the objects.
    let hour = dir.path().join("2026/11/22/09");
    let object = std::fs::read_dir(&hour).unwrap().next().unwrap().unwrap().path();
    let name = object.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("flowlogs-stream-1-2026-11-22-09-") && name.ends_with(".gz"), "{name}");
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&object).unwrap())),
        &mut first,
    )
    .unwrap();
    assert!(first.starts_with("2 123456789012 eni-"), "{first}");
    seed_queries_match(dir.path(), "firehose");
    // Two hours of three days: the other hours' objects are left unopened.
    let src = dir.path().to_str().unwrap();
    let o = run(athq(dir.path()).args([
        "run",
        "bytes-by-pair",
        "--engine",
        "local",
        "--source",
        src,
        "--hours",
        "2",
        "--format",
        "csv",
        "-p",
        "limit=100000",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let before = o.stderr.split(" skipped by date").next().unwrap();
    let skipped: u64 = before.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(skipped > 700, "{}", o.stderr);
    let two_hours = bytes_by_pair_sql().replace("\"end\" >= 1795083960", "\"end\" >= 1795335960");
    assert_eq!(o.stdout, duck("firehose", dir.path(), &two_hours));
    // The table's one time column, from the folders, as projection has it.
    let o = run(athq(dir.path()).args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql"]).arg(
        "SELECT ingest_hour, COUNT(*) AS n FROM vpc_flow_logs WHERE ingest_hour = '2026/11/22/09' GROUP BY 1",
    ));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("ingest_hour,n\n2026/11/22/09,"), "{}", o.stdout);
    assert!(o.stderr.contains("pruned by partition"), "{}", o.stderr);
}

#[test]
fn order_by_limit_over_parquet_days_is_the_same_answer_every_time() {
    // DataFusion sorted each day's branch by the non-constant keys alone and shared one TopK
    // threshold across them: one day's threshold dropped another day's rows, on some runs only
    // (a third of them, measured). Ten runs in a row must all give DuckDB's answer.
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--format", "parquet", "--fields", "v5", "--seed", "21"]);
    let sql = "SELECT day, interface_id, srcaddr, action FROM vpc_flow_logs WHERE action = 'REJECT' AND protocol = 6 \
               ORDER BY day, interface_id, srcaddr, action LIMIT 100";
    let want = duck(
        "parquet",
        dir.path(),
        "SELECT day, interface_id, srcaddr, action FROM flows WHERE action = 'REJECT' AND protocol = 6 \
         ORDER BY day, interface_id, srcaddr, action LIMIT 100",
    );
    for i in 0..10 {
        let o = exec_csv(dir.path(), sql, &[]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(o.stdout, want, "run {i}");
    }
}

#[test]
fn threads_cap_the_embedded_engines_parallelism() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000"]);
    let src = dir.path().to_str().unwrap();
    let plan = |args: &[&str], env: Option<&str>| {
        let mut cmd = athq(dir.path());
        if let Some(v) = env {
            cmd.env("ATHQ_THREADS", v);
        }
        let o = run(cmd
            .args(["exec", "--engine", "local", "--source", src, "--format", "csv"])
            .args(args)
            .args(["--sql", "EXPLAIN SELECT action, COUNT(*) AS n FROM vpc_flow_logs GROUP BY action"]));
        (o.code, o.stdout + &o.stderr)
    };
    // The file readers and the hash repartition both take the cap.
    let (code, one) = plan(&["--threads", "1"], None);
    assert_eq!(code, 0, "{one}");
    assert!(one.contains("partition_sizes=1"), "{one}");
    let (_, three) = plan(&["--threads", "3"], None);
    assert!(three.contains("partition_sizes=3") && three.contains("Hash([action@0], 3)"), "{three}");
    let (_, env) = plan(&[], Some("3"));
    assert!(env.contains("partition_sizes=3"), "{env}");
    // The flag wins over the variable; nonsense is refused with its source named.
    let (_, both) = plan(&["--threads", "1"], Some("3"));
    assert!(both.contains("partition_sizes=1"), "{both}");
    let (code, bad) = plan(&[], Some("many"));
    assert_eq!(code, 2, "{bad}");
    assert!(bad.contains("ATHQ_THREADS: `many` is not a thread count"), "{bad}");
    assert_eq!(plan(&["--threads", "0"], None).0, 2);
    // The same answer on one thread as on several.
    let sql =
        "SELECT action, COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs GROUP BY action ORDER BY action";
    let answer = |n: &str| exec_csv(dir.path(), sql, &["--threads", n]).stdout;
    assert_eq!(answer("1"), answer("4"));
}

#[test]
fn one_huge_file_among_many_small_ones_gives_duckdbs_answer() {
    // The readers take files from one queue as they finish: a huge file does not hold the others.
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "4000", "--seed", "17"]);
    let big = tempfile::tempdir().unwrap();
    let big_sample = big.path().join("big");
    std::fs::create_dir_all(&big_sample).unwrap();
    sample(&big_sample, &["--records", "120000", "--seed", "18", "--account", "210987654321"]);
    // All of the second sample's records in one plain file, beside the small ones.
    let mut text = String::new();
    for entry in walk(&big_sample) {
        let mut body = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(std::fs::File::open(&entry).unwrap()),
            &mut body,
        )
        .unwrap();
        let mut lines = body.lines();
        let header = lines.next().unwrap();
        if text.is_empty() {
            text.push_str(header);
            text.push('\n');
        }
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
    }
    std::fs::write(dir.path().join("huge.log"), text).unwrap();
    let sql = "SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes, COUNT(*) AS flows FROM vpc_flow_logs \
               WHERE log_status = 'OK' GROUP BY 1, 2 ORDER BY total_bytes DESC, srcaddr, dstaddr";
    let o = exec_csv(dir.path(), sql, &["--threads", "2"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("124000 records"), "{}", o.stderr);
    let want = duck(
        "text",
        dir.path(),
        "SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes, COUNT(*) AS flows FROM flows \
         WHERE log_status = 'OK' GROUP BY 1, 2 ORDER BY total_bytes DESC, srcaddr, dstaddr",
    );
    assert_eq!(o.stdout, want);
}

/// Every `.log.gz` below `dir`.
pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.to_string_lossy().ends_with(".log.gz") || p.to_string_lossy().ends_with(".parquet") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_sort_larger_than_the_memory_limit_spills_and_gives_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--days", "1", "--records", "200000"]);
    // find-ip's shape: every flow, most recent first, a limit far above what a top-n heap holds
    // in 32 MiB (every column in the order, so the answer has one order).
    let cols =
        "start, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, packets, bytes, action, \"end\"";
    let sql = format!("SELECT {cols} FROM vpc_flow_logs ORDER BY {cols} LIMIT 5000000");
    let limited = exec_csv(dir.path(), &sql, &["--all", "--memory-limit", "32MiB"]);
    assert_eq!(limited.code, 0, "{}", limited.stderr);
    let free = exec_csv(dir.path(), &sql, &["--all"]);
    assert_eq!(free.code, 0, "{}", free.stderr);
    assert_eq!(limited.stdout.lines().count(), 200_001);
    assert!(limited.stdout == free.stdout, "the spilled sort gave other rows or another order");
    // It did spill: the plan sorts everything (no TopK) and its sort wrote files.
    let analyzed =
        exec_csv(dir.path(), &format!("EXPLAIN ANALYZE {sql}"), &["--all", "--memory-limit", "32MiB"]);
    assert_eq!(analyzed.code, 0, "{}", analyzed.stderr);
    let sort = analyzed.stdout.lines().find(|l| l.contains("SortExec")).unwrap_or_default().to_string();
    assert!(!sort.contains("TopK") && !sort.contains("spill_count=0"), "{}", analyzed.stdout);
    assert!(sort.contains("spill_count="), "{}", analyzed.stdout);
    assert!(analyzed.stdout.contains("GlobalLimitExec: skip=0, fetch=5000000"), "{}", analyzed.stdout);

    // What cannot spill (a hash join's build side) fails with the limit and how to raise it.
    let join = "SELECT COUNT(*) FROM vpc_flow_logs a JOIN vpc_flow_logs b ON a.srcaddr = b.srcaddr AND a.start = b.start";
    let o = exec_csv(dir.path(), join, &["--all", "--memory-limit", "16MiB"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("needs more memory than the embedded engine's limit of 16.0 MiB"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("--memory-limit SIZE"), "{}", o.stderr);
    assert!(
        o.stderr.contains("allocation failed for HashJoinInput") && !o.stderr.contains("as:\n"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("panick"), "{}", o.stderr);

    // Nonsense is refused, naming where it came from; the limit means nothing on Athena.
    let o = exec_csv(dir.path(), "SELECT 1", &["--memory-limit", "1MB"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("less than the smallest memory limit, 16MiB"), "{}", o.stderr);
    let mut cmd = athq(dir.path());
    cmd.env("ATHQ_MEMORY_LIMIT", "lots");
    let o = run(cmd.args([
        "exec",
        "--engine",
        "local",
        "--source",
        dir.path().to_str().unwrap(),
        "--sql",
        "SELECT 1",
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("ATHQ_MEMORY_LIMIT: `lots` is not a size"), "{}", o.stderr);
    let o = run(athq(dir.path()).args([
        "exec",
        "--engine",
        "athena",
        "--memory-limit",
        "1GB",
        "--sql",
        "SELECT 1",
    ]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--memory-limit is for the embedded engine"), "{}", o.stderr);
}

#[test]
fn csv_streams_in_bounded_memory_and_a_long_table_shows_its_first_rows() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--days", "1", "--records", "150000"]);
    let src = dir.path().to_str().unwrap();
    let exec = |sql: &str, format: &str, stdout: std::process::Stdio| {
        let mut cmd = crate::support::athq_std(dir.path());
        cmd.args([
            "-q", "exec", "--engine", "local", "--source", src, "--all", "--format", format, "--sql", sql,
        ])
        .stdout(stdout);
        crate::support::peak_memory(&mut cmd)
    };
    // The same files read for one number, and for every record as CSV: the rows must not be
    // held (they were, as strings: about 200 MiB more here).
    let (code, counted) = exec("SELECT COUNT(*) FROM vpc_flow_logs", "csv", std::process::Stdio::null());
    assert_eq!(code, 0);
    let out = dir.path().join("all.csv");
    let file = std::fs::File::create(&out).unwrap();
    let (code, streamed) = exec("SELECT * FROM vpc_flow_logs", "csv", file.into());
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 150_001);
    assert!(
        streamed < counted + 64 * 1024,
        "streaming 150,000 rows took {streamed} KiB at peak, counting them {counted} KiB"
    );

    // A table keeps its first rows and says how to get the rest.
    let o = run(athq(dir.path())
        .args(["-q", "exec", "--engine", "local", "--source", src, "--all"])
        .args(["--sql", "SELECT srcaddr, bytes FROM vpc_flow_logs"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout.lines().last().unwrap(),
        "(150000 rows; the first 10000 are shown: --format csv or --output FILE gives them all)"
    );
    // The header and the rows start with a border.
    assert_eq!(o.stdout.lines().filter(|l| l.starts_with('│')).count(), 1 + 10_000);
}

#[test]
fn the_layout_is_read_from_the_paths_when_none_is_configured() {
    // The same records, in AWS's plain layout and in its Hive-compatible one (hourly).
    let (plain, hive) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    sample(plain.path(), &["--seed", "21", "--hourly"]);
    sample(hive.path(), &["--seed", "21", "--hourly", "--hive"]);
    std::fs::write(plain.path().join("athq.yaml"), "table:\n  hourly: true\n").unwrap();
    let exec = |dir: &Path, sql: &str| {
        let o = exec_csv(dir, sql, &[]);
        assert_eq!(o.code, 0, "{sql}: {}", o.stderr);
        o.stdout
    };
    // Athena's table over Hive folders has year, month, day and hour columns: so does this one.
    let by_hour = exec(
        hive.path(),
        "SELECT year, month, day, hour, COUNT(*) AS flows FROM vpc_flow_logs GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    );
    assert!(by_hour.starts_with("year,month,day,hour,flows\n2026,11,"), "{by_hour}");
    let want = exec(
        plain.path(),
        "SELECT substr(hour, 1, 4) AS year, substr(hour, 6, 2) AS month, substr(hour, 9, 2) AS day, \
         substr(hour, 12, 2) AS hour, COUNT(*) AS flows FROM vpc_flow_logs GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    );
    assert_eq!(by_hour, want);
    // Library queries render their time predicates for the layout read, and answer the same.
    let big = ["-p", "limit=100000"];
    let answer = local(hive.path(), "bytes-by-pair", &big).stdout;
    assert!(answer.lines().count() > 100);
    assert_eq!(answer, local(plain.path(), "bytes-by-pair", &big).stdout);
    // A configured layout is kept: the paths are not read for it.
    std::fs::write(hive.path().join("athq.yaml"), "table:\n  layout: plain\n").unwrap();
    let o = exec_csv(hive.path(), "SELECT year FROM vpc_flow_logs LIMIT 1", &[]);
    assert_ne!(o.code, 0, "{}", o.stdout);
}

#[test]
fn firehose_objects_are_read_as_such_with_no_layout_configured() {
    // The same delivery, with and without `layout: firehose` in athq.yaml: the same answers.
    let (told, untold) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(told.path().join("athq.yaml"), "table:\n  layout: firehose\n  granularity: hour\n")
        .unwrap();
    for d in [&told, &untold] {
        sample(d.path(), &["--layout", "firehose", "--seed", "13", "--records", "5000"]);
    }
    let big = ["-p", "limit=100000"];
    let want = local(told.path(), "bytes-by-pair", &big).stdout;
    assert!(want.lines().count() > 20, "{want}");
    assert_eq!(local(untold.path(), "bytes-by-pair", &big).stdout, want);
    let hours = "SELECT ingest_hour, COUNT(*) AS n FROM vpc_flow_logs GROUP BY 1 ORDER BY 1";
    let o = exec_csv(untold.path(), hours, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, exec_csv(told.path(), hours, &[]).stdout);
}

/// What Python's zoneinfo says of epoch seconds in a zone: `hour`, `HH:MM`, the weekday (Monday
/// 1), the date and the ISO offset, one line each, comma-separated.
fn zoneinfo(epochs: &[i64], zone: &str) -> Vec<String> {
    let script = "import sys, datetime, zoneinfo\n\
                  z = zoneinfo.ZoneInfo(sys.argv[1])\n\
                  for s in sys.argv[2:]:\n\
                  \x20   d = datetime.datetime.fromtimestamp(int(s), z)\n\
                  \x20   print(f\"{d.hour},{d:%H:%M},{d.isoweekday()},{d:%Y-%m-%d},{d.isoformat(timespec='milliseconds')}\")\n";
    let out = std::process::Command::new(crate::support::python())
        .args(["-c", script, zone])
        .args(epochs.iter().map(|e| e.to_string()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn zoned_timestamps_give_athenas_wall_clock_answers() {
    // Athena: hour(from_unixtime(1796000000) AT TIME ZONE 'America/New_York') is 19 (the UTC
    // instant 2026-11-30 00:53:20 seen in New York); DataFusion's own reading gave 5. Every answer
    // here is checked against Python's zoneinfo, across a DST change and a half-hour zone.
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let epochs = [1_796_000_000i64, 1_772_953_200, 1_772_960_400, 1_762_063_200, 1_800_000_000];
    for zone in ["America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Europe/London"] {
        let want = zoneinfo(&epochs, zone);
        for (epoch, want) in epochs.iter().zip(&want) {
            let f: Vec<&str> = want.split(',').collect();
            let sql = format!(
                "SELECT hour(from_unixtime({epoch}) AT TIME ZONE '{zone}') AS h, \
                 date_format(from_unixtime({epoch}) AT TIME ZONE '{zone}', '%H:%i') AS hm, \
                 day_of_week(from_unixtime({epoch}, '{zone}')) AS dow, \
                 CAST(at_timezone(from_unixtime({epoch}), '{zone}') AS DATE) AS d, \
                 to_iso8601(from_unixtime({epoch}) AT TIME ZONE '{zone}') AS iso, \
                 EXTRACT(HOUR FROM from_unixtime({epoch}) AT TIME ZONE '{zone}') AS eh, \
                 to_unixtime(from_unixtime({epoch}) AT TIME ZONE '{zone}') = {epoch} AS same_instant"
            );
            let o = exec_csv(dir.path(), &sql, &[]);
            assert_eq!(o.code, 0, "{sql}: {}", o.stderr);
            // zoneinfo's ISO offset is +00:00 where Trino writes Z.
            let iso = f[4].replace("+00:00", "Z");
            let expected = format!(
                "h,hm,dow,d,iso,eh,same_instant\n{},{},{},{},{iso},{},true\n",
                f[0], f[1], f[2], f[3], f[0]
            );
            assert_eq!(o.stdout, expected, "{zone} {epoch}");
        }
    }
    // A zoned value prints its wall clock and zone; from_iso8601_timestamp and parse_datetime give
    // UTC values; the session zone is UTC.
    let o = exec_csv(
        dir.path(),
        "SELECT from_unixtime(1796000000, 'America/New_York') AS ny, from_iso8601_timestamp('2026-11-21T10:00:00Z') AS iso, \
         parse_datetime('21/Nov/2026:10:00:00 +0000', 'dd/MMM/yyyy:HH:mm:ss Z') AS s3, current_timezone() AS tz, \
         with_timezone(date_parse('2026-11-21 10:00', '%Y-%m-%d %H:%i'), 'Asia/Tokyo') AS tokyo_wall",
        &[],
    );
    assert_eq!(
        o.stdout,
        "ny,iso,s3,tz,tokyo_wall\n2026-11-29 19:53:20.000 America/New_York,2026-11-21 10:00:00.000 UTC,\
         2026-11-21 10:00:00.000 UTC,UTC,2026-11-21 10:00:00.000 Asia/Tokyo\n",
        "{}",
        o.stderr
    );
    // from_unixtime(x) and now() are UTC timestamps with a time zone on Trino: printed and cast to
    // varchar with the zone, compared with timestamps without one as UTC wall clocks.
    let o = exec_csv(
        dir.path(),
        "SELECT from_unixtime(1796000000) AS u, CAST(from_unixtime(0) AS VARCHAR) AS t, \
         from_unixtime(1796000000) = TIMESTAMP '2026-11-30 00:53:20' AS same, \
         now() > from_unixtime(0) AS later, date_trunc('day', from_unixtime(1796000000)) AS day",
        &[],
    );
    assert_eq!(
        o.stdout,
        "u,t,same,later,day\n2026-11-30 00:53:20.000 UTC,1970-01-01 00:00:00.000 UTC,true,true,2026-11-30 00:00:00.000 UTC\n",
        "{}",
        o.stderr
    );
    // Their types as Trino names them: precision 3, whatever unit Arrow holds.
    let o = exec_csv(
        dir.path(),
        "SELECT typeof(from_unixtime(start)) AS a, typeof(date_parse(srcaddr, '%Y-%m-%d')) AS b, \
         typeof(from_unixtime(start) AT TIME ZONE 'Asia/Tokyo') AS c FROM vpc_flow_logs LIMIT 1",
        &[],
    );
    assert_eq!(
        o.stdout, "a,b,c\ntimestamp(3) with time zone,timestamp(3),timestamp(3) with time zone\n",
        "{}",
        o.stderr
    );
    // Local time per hour of the day over real flows agrees with zoneinfo, row by row.
    let o = exec_csv(
        dir.path(),
        "SELECT start, hour(from_unixtime(start) AT TIME ZONE 'America/New_York') AS h FROM vpc_flow_logs \
         WHERE start IS NOT NULL ORDER BY start LIMIT 50",
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows: Vec<(i64, String)> = o
        .stdout
        .lines()
        .skip(1)
        .map(|l| {
            let (s, h) = l.split_once(',').unwrap();
            (s.parse().unwrap(), h.to_string())
        })
        .collect();
    let epochs: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let want = zoneinfo(&epochs, "America/New_York");
    for ((_, h), w) in rows.iter().zip(want) {
        assert_eq!(h, w.split(',').next().unwrap());
    }
    // An offset other than UTC in text Trino would keep per value is refused, not shifted.
    let o =
        exec_csv(dir.path(), "SELECT hour(from_iso8601_timestamp('2026-11-21T10:00:00+02:00')) AS h", &[]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stderr.contains("has the offset +02:00: only UTC (Z) is supported"), "{}", o.stderr);
}

#[test]
fn a_function_called_with_the_wrong_arguments_is_a_sql_error_naming_it() {
    // regexp_extract(srcaddr) indexed past its arguments inside the function, and the caught panic
    // blamed "damaged data in the source".
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    for (sql, says) in [
        (
            "SELECT regexp_extract(srcaddr) AS x FROM vpc_flow_logs",
            "function `regexp_extract` does not take these arguments: it was called as regexp_extract(varchar); it takes `regexp_extract(s, pattern[, group])`",
        ),
        (
            "SELECT regexp_extract(srcaddr, '(\\d+)', 1, 2, 3) AS x FROM vpc_flow_logs",
            "function `regexp_extract` does not take these arguments",
        ),
        (
            "SELECT split_part(srcaddr) AS x FROM vpc_flow_logs",
            "function `split_part` does not take these arguments",
        ),
    ] {
        let o = exec_csv(dir.path(), sql, &[]);
        assert_eq!(o.code, 1, "{sql}: {}", o.stdout);
        assert!(o.stderr.contains(says), "{sql}: {}", o.stderr);
        assert!(!o.stderr.contains("damaged data") && !o.stderr.contains("panicked"), "{}", o.stderr);
        assert!(!o.stderr.contains("bug in DataFusion"), "{}", o.stderr);
    }
}
