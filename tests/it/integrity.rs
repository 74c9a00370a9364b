//! Nothing lost, nothing changed, no crash: each fault that probing found, through the built
//! binary. Output files that replace devices, links and FIFOs; S3 downloads cut off mid-object,
//! prefixes that named their siblings; CloudWatch Logs streams whose names collided; integer
//! overflow; records that counted or not by the columns a query read; Parquet objects that do not
//! fit the table; scripts whose last statement was dropped; conversions that trusted their target;
//! charts that drew gaps and negatives as zero; deep expressions, extreme times and endless history
//! files that crashed; and messages that misled.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

use serde_json::json;

use crate::local::{athq, sample};
use crate::standin::{Account, FaultProxy};
use crate::{Out, run};

fn exec(dir: &Path, sql: &str, extra: &[&str]) -> Out {
    run(athq(dir)
        .args(["exec", "--engine", "local", "--source", dir.to_str().unwrap(), "--format", "csv"])
        .args(extra)
        .args(["--sql", sql]))
}

/// A run's answer, written to `--output PATH`.
fn run_to(dir: &Path, output: &Path, format: &str) -> Out {
    run(athq(dir).args(["run", "reject-top", "--engine", "local", "--days", "3", "--format", format]).args([
        "--source",
        dir.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]))
}

#[test]
fn output_writes_devices_fifos_and_link_targets_in_place_and_keeps_a_files_mode() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000"]);
    let reference = dir.path().join("reference.csv");
    assert_eq!(run_to(dir.path(), &reference, "csv").code, 0);
    let want = std::fs::read_to_string(&reference).unwrap();
    assert!(want.lines().count() > 2, "{want}");

    // A device is written, never replaced: /dev/full says it is full, and stays a device.
    let o = run_to(dir.path(), Path::new("/dev/full"), "csv");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("/dev/full: No space left on device"), "{}", o.stderr);
    assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    let o = run_to(dir.path(), Path::new("/dev/null"), "csv");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());

    // A symlink: its target gets the data, the link stays a link.
    let target = dir.path().join("target.csv");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(run_to(dir.path(), &link, "csv").code, 0);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), want);

    // An existing file keeps its mode.
    let private = dir.path().join("private.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(run_to(dir.path(), &private, "csv").code, 0);
    assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::read_to_string(&private).unwrap(), want);

    // A FIFO: its reader gets the answer, and it is still a FIFO.
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(run_to(dir.path(), &fifo, "csv").code, 0);
    assert_eq!(reader.join().unwrap(), want);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // Two runs at once into files of one stem: each file holds its own format.
    let (csv, ndjson) = (dir.path().join("flows.csv"), dir.path().join("flows.ndjson"));
    let runs: Vec<_> = [(csv.clone(), "csv"), (ndjson.clone(), "ndjson")]
        .into_iter()
        .map(|(path, format)| {
            let d = dir.path().to_path_buf();
            std::thread::spawn(move || run_to(&d, &path, format).code)
        })
        .collect();
    for r in runs {
        assert_eq!(r.join().unwrap(), 0);
    }
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), want);
    let lines = std::fs::read_to_string(&ndjson).unwrap();
    assert!(lines.lines().all(|l| l.starts_with('{')), "{lines}");
    assert_eq!(lines.lines().count(), want.lines().count() - 1);
    // Nothing is left behind under a temporary name.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("athq-partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_report_checks_its_output_before_any_query_starts() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{id}/athena/\ntable:\n  location: s3://athq-logs-{id}/AWSLogs/\n  accounts: ['{id}']\n  regions: [us-east-1]\n",
        id = acct.id
    ));
    let o =
        run(acct.athq(dir.path()).args(["report", "--days", "1", "--output", "/nonexistent/folder/r.html"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("cannot write /nonexistent/folder/r.html"), "{}", o.stderr);
    assert!(acct.history().is_empty(), "a query ran: {:?}", acct.history());
}

/// A bucket holding a copy of the sample's text logs under each of `prefixes`.
fn bucket_with_sample(acct: &Account, dir: &Path, prefixes: &[&str]) -> String {
    let bucket = format!("athq-faults-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    let logs = dir.join("AWSLogs");
    for prefix in prefixes {
        let to = format!("s3://{bucket}/{prefix}AWSLogs/");
        acct.aws(&["s3", "cp", "--recursive", "--quiet", logs.to_str().unwrap(), &to]);
    }
    bucket
}

fn count_over(cmd: &mut assert_cmd::Command, source: &str) -> Out {
    run(cmd
        .args(["exec", "--engine", "local", "--format", "csv", "--source", source])
        .args(["--sql", "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs"]))
}

#[test]
fn a_download_cut_off_is_resumed_and_one_that_keeps_failing_fails_the_query() {
    let acct = Account::new();
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "3000", "--days", "1"]);
    let bucket = bucket_with_sample(&acct, dir.path(), &[""]);
    let disk = exec(dir.path(), "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs", &[]);
    assert_eq!(disk.code, 0, "{}", disk.stderr);
    let source = format!("s3://{bucket}/AWSLogs/");
    // The object to cut: the first one listed.
    let listing = acct.aws(&["s3api", "list-objects-v2", "--bucket", &bucket]);
    let key = listing["Contents"][0]["Key"].as_str().unwrap().to_string();
    let name = key.rsplit('/').next().unwrap().to_string();

    // Cut twice mid-object: resumed from where it stopped, the answer is the disk's.
    let proxy = FaultProxy::start(json!([{"fault": "cut", "key": name, "after": 100, "times": 2}]));
    let o = count_over(&mut acct.athq_via(dir.path(), &proxy), &source);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, disk.stdout);
    assert!(!o.stderr.contains("unreadable"), "{}", o.stderr);
    let gets: Vec<_> = proxy
        .log()
        .into_iter()
        .filter(|e| e["op"] == "GetObject" && e["path"].as_str().unwrap().ends_with(&name))
        .collect();
    assert_eq!(gets.iter().filter(|e| e["fault"] == "cut").count(), 2, "{gets:?}");
    // Resumed from the first byte not received.
    assert!(
        gets.iter().any(|e| e["range"].as_str().is_some_and(|r| r.starts_with("bytes=100-"))),
        "{gets:?}"
    );

    // Cut every time: the query fails naming the object (exit 1), nothing is answered.
    let proxy = FaultProxy::start(json!([{"fault": "cut", "key": name, "after": 100, "times": -1}]));
    let o = count_over(&mut acct.athq_via(dir.path(), &proxy), &source);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(o.stderr.contains(&format!("cannot read s3://{bucket}/{key}")), "{}", o.stderr);
    assert!(o.stderr.contains("broke off"), "{}", o.stderr);

    // Throttled reads are retried; an object deleted after listing is skipped and named.
    let victim = listing["Contents"][1]["Key"].as_str().unwrap().to_string();
    let proxy = FaultProxy::start(json!([
        {"fault": "throttle", "op": "GetObject", "times": 2},
        {"fault": "delete-after-list", "key": victim.rsplit('/').next().unwrap()}
    ]));
    let o = count_over(&mut acct.athq_via(dir.path(), &proxy), &source);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("s3://{bucket}/{victim}")), "{}", o.stderr);
    assert!(o.stderr.contains("1 unreadable"), "{}", o.stderr);
}

#[test]
fn an_s3_prefix_is_a_folder_not_the_start_of_its_siblings_names() {
    let acct = Account::new();
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000", "--days", "1"]);
    let bucket = bucket_with_sample(&acct, dir.path(), &["v2/", "v2cut/", "v2del/"]);
    let disk = exec(dir.path(), "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs", &[]);
    for source in [format!("s3://{bucket}/v2"), format!("s3://{bucket}/v2/")] {
        let o = count_over(&mut acct.athq(dir.path()), &source);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(o.stdout, disk.stdout, "{source}");
    }
}

#[test]
fn cloudwatch_streams_whose_names_differ_only_in_punctuation_are_each_read_once() {
    let acct = Account::new();
    let dir = acct.project("engine: local\n");
    let group = "/vpc/collide";
    acct.aws(&["logs", "create-log-group", "--log-group-name", group]);
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let record = |eni: &str, k: i64| {
        format!(
            "2 123456789012 {eni} 10.0.0.{k} 10.0.1.1 443 5000{k} 6 1 {} 1795083960 1795084020 ACCEPT OK",
            100 + k
        )
    };
    let put = |stream: &str, messages: Vec<String>| {
        acct.aws(&["logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream]);
        let events: Vec<_> = messages
            .iter()
            .enumerate()
            .map(|(k, m)| json!({"timestamp": now_ms - 1000 * (10 - k as i64), "message": m}))
            .collect();
        let file = dir.path().join("events.json");
        std::fs::write(&file, serde_json::to_string(&events).unwrap()).unwrap();
        let arg = format!("file://{}", file.display());
        acct.aws(&[
            "logs",
            "put-log-events",
            "--log-group-name",
            group,
            "--log-stream-name",
            stream,
            "--log-events",
            &arg,
        ]);
        messages.len()
    };
    let mut events = 0;
    for (i, stream) in ["eni-a.b-all", "eni-a_b-all", "eni-a/b-all"].iter().enumerate() {
        events += put(stream, (0..(5 + i as i64)).map(|k| record(&format!("eni-{i}"), k)).collect());
    }
    // One event whose message holds a line break: one record (a corrupt one), not two.
    put("eni-nl-all", vec![format!("{}\n{}", record("eni-nl", 1), record("eni-nl", 2))]);
    let o = run(acct
        .athq(dir.path())
        .args(["exec", "--source", &format!("logs:{group}"), "--format", "csv"])
        .args(["--sql", "SELECT COUNT(*) AS n, COUNT(DISTINCT interface_id) AS enis FROM vpc_flow_logs"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, format!("n,enis\n{events},3\n"));
    assert!(o.stderr.contains("warning: 1 corrupt line(s) skipped"), "{}", o.stderr);
}

#[test]
fn integer_overflow_is_an_error_as_on_athena() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000", "--days", "1"]);
    for sql in [
        "SELECT CAST(9223372036854775807 + 1 AS BIGINT) AS v",
        "SELECT -9223372036854775807 - 2 AS v",
        "SELECT 4611686018427387904 * 2 AS v",
        "SELECT SUM(bytes * 9223372036854775807) AS v FROM vpc_flow_logs",
        "SELECT srcaddr, SUM(bytes + 9223372036854775000) AS v FROM vpc_flow_logs GROUP BY 1",
        "SELECT action, SUM(9223372036854775000) AS v FROM vpc_flow_logs GROUP BY 1",
        "SELECT SUM(x) FROM (VALUES (9223372036854775807), (1)) AS t(x)",
        "SELECT SUM(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (9223372036854775807), (1)) AS t(x)",
    ] {
        let o = exec(dir.path(), sql, &[]);
        assert_eq!(o.code, 1, "{sql}: {}{}", o.stdout, o.stderr);
        assert!(o.stderr.contains("integer overflow"), "{sql}: {}", o.stderr);
        assert!(o.stdout.lines().count() <= 1, "{sql}: no row, at most the header: {}", o.stdout);
    }
    // What fits is unchanged: the names of columns too.
    let o = exec(
        dir.path(),
        "SELECT 9223372036854775806 + 1, 3 * 4 - 2, SUM(x) AS s FROM (VALUES (1), (2)) AS t(x)",
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "Int64(9223372036854775806) + Int64(1),Int64(3) * Int64(4) - Int64(2),s\n9223372036854775807,10,3\n"
    );
}

#[test]
fn a_line_is_a_record_or_corrupt_whatever_columns_the_query_reads() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("123456789012_vpcflowlogs_us-east-1_fl-1_20261121T1000Z_abc.log"),
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
         2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 50000 6 1 100 1795083960 1795084020 ACCEPT OK\n\
         2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 50000 6 1 abc 1795083960 1795084020 ACCEPT OK\n",
    )
    .unwrap();
    for sql in [
        "SELECT COUNT(*) AS n FROM vpc_flow_logs",
        "SELECT COUNT(*) AS n FROM vpc_flow_logs WHERE bytes IS NULL OR bytes IS NOT NULL",
        "SELECT COUNT(srcaddr) AS n FROM vpc_flow_logs",
    ] {
        let o = exec(dir.path(), sql, &[]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(o.stdout, "n\n1\n", "{sql}");
        assert!(o.stderr.contains("1 corrupt line(s) skipped"), "{sql}: {}", o.stderr);
    }
}

#[test]
fn parquet_objects_that_do_not_fit_the_table_are_skipped_and_named() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--format", "parquet", "--records", "3000", "--days", "1"]);
    let clean = exec(dir.path(), "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs", &["--strict"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let folder = dir.path().join("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=21");
    let folder = if folder.exists() {
        folder
    } else {
        let day = crate::faults::files_under(&dir.path().join("AWSLogs")).into_iter().next().unwrap();
        day.parent().unwrap().to_path_buf()
    };
    crate::local::python(
        "import duckdb, sys\n\
         duckdb.sql(\"COPY (SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS t(a, b)) TO '%s' (FORMAT parquet)\" % sys.argv[1])\n\
         duckdb.sql(\"COPY (SELECT '10.0.0.1' AS srcaddr, 'lots' AS bytes) TO '%s' (FORMAT parquet)\" % sys.argv[2])\n",
        &[folder.join("other.parquet").to_str().unwrap(), folder.join("typed.parquet").to_str().unwrap()],
    );
    let o = exec(dir.path(), "SELECT COUNT(*) AS n, SUM(bytes) AS b FROM vpc_flow_logs", &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, clean.stdout);
    assert!(o.stderr.contains("2 unreadable"), "{}", o.stderr);
    assert!(
        o.stderr.contains("other.parquet: none of its columns is a flow-log field (a, b)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("typed.parquet: its column `bytes` is Utf8, where a flow-log table has bigint"),
        "{}",
        o.stderr
    );
    let strict = exec(dir.path(), "SELECT COUNT(*) AS n FROM vpc_flow_logs", &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

/// `athq sql ARGS` reading a script from a pipe.
fn script(cmd: &mut assert_cmd::Command, args: &[&str], text: &str) -> Out {
    run(cmd.arg("sql").args(args).write_stdin(text.to_string()))
}

#[test]
fn a_script_never_drops_a_statement_and_comments_alone_are_none() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let src = dir.path().to_str().unwrap();
    let args = ["--engine", "local", "--source", src, "--format", "csv"];
    let local = || athq(dir.path());
    for (text, what) in [
        ("SELECT 1 AS a;\nSELECT 'abc AS b", "string"),
        ("SELECT 1 AS a;\nSELECT 2 /* open", "comment"),
        ("SELECT 1 AS a;\nSELECT \"b", "quoted identifier"),
    ] {
        let o = script(&mut local(), &args, text);
        assert_eq!(o.code, 2, "{text}: {}", o.stderr);
        assert_eq!(o.stdout, "a\n1\n", "{text}");
        assert!(o.stderr.contains(&format!("a {what} opened on its line 1 is not closed")), "{}", o.stderr);
    }
    let o = script(&mut local(), &args, "SELECT 1 AS a;\n-- the end\n");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "a\n1\n");
    let o = script(&mut local(), &args, "SELECT 1 AS a; /* c */ -- d\n;\nSELECT 2 AS b");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "a\n1\nb\n2\n");

    // On Athena a comment after the last statement starts no query.
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    let project = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{}/athena/\n",
        acct.id
    ));
    let o = script(&mut acct.athq(project.path()), &[], "SELECT 1;\n-- done\n");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(acct.history().len(), 1);
}

#[test]
fn the_shell_says_what_ctrl_d_discards_and_refuses_a_history_file_that_is_not_one() {
    use rexpect::session::spawn_command;
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let src = dir.path().to_str().unwrap();
    for (history, warning) in [
        ("/dev/zero", "history is not kept: /dev/zero: not a regular file"),
        ("/proc/athq-nothing", "history is not kept: /proc/athq-nothing:"),
    ] {
        let mut cmd = crate::support::athq_std(dir.path());
        cmd.args(["sql", "--engine", "local", "--source", src])
            .env("ATHQ_HISTORY", history)
            .env("TERM", "xterm");
        let mut p = spawn_command(cmd, Some(60_000)).unwrap();
        p.exp_string(warning).unwrap();
        p.exp_string("athq:local> ").unwrap();
        p.send_line("SELECT 1").unwrap();
        p.exp_string("-> ").unwrap();
        p.send_control('d').unwrap();
        p.exp_string("the unfinished statement was discarded").unwrap();
        p.exp_eof().unwrap();
    }
}

#[test]
fn table_convert_refuses_a_target_it_would_damage() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    acct.aws(&["glue", "create-database", "--database-input", "Name=flowdb"]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{id}/athena/\ntable:\n  location: s3://logs-{id}/AWSLogs/\n  accounts: ['{id}']\n  regions: [us-east-1]\n",
        id = acct.id
    ));
    let convert = |extra: &[&str]| {
        run(acct
            .athq(dir.path())
            .args(["table", "convert", "parquet", "--from", "2026-11-01", "--to", "2026-11-02"])
            .args(extra))
    };
    let create = |extra: &[&str]| {
        let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue"]).args(extra));
        assert_eq!(o.code, 0, "{}", o.stderr);
    };
    let inside = format!("s3://logs-{}/AWSLogs/parquet/", acct.id);
    let o = convert(&["--target-location", &inside]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("overlaps the source table's"), "{}", o.stderr);

    // An existing Parquet copy elsewhere: not silently kept.
    let elsewhere = format!("s3://logs-{}/elsewhere/", acct.id);
    let shape =
        ["--table", "vpc_flow_logs_parquet", "--format", "parquet", "--hive", "--partitioning", "managed"];
    create(&[&shape[..], &["--location", &elsewhere]].concat());
    let o = convert(&["--target-location", &format!("s3://logs-{}/parquet/", acct.id)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("exists at {elsewhere}, not at --target-location")), "{}", o.stderr);

    // An existing text table is not written into.
    let text = format!("s3://logs-{}/text/", acct.id);
    create(&["--table", "textcopy", "--location", &text]);
    let o = convert(&["--target", "textcopy", "--target-location", &text]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("table `textcopy` exists and is not Parquet"), "{}", o.stderr);
    assert!(acct.history().is_empty(), "{:?}", acct.history());
}

fn chart(dir: &Path, values: &str, extra: &[&str]) -> Out {
    let sql =
        format!("SELECT CAST(t AS TIMESTAMP) AS bucket_start, v AS flows FROM (VALUES {values}) AS x(t, v)");
    run(athq(dir)
        .args([
            "exec",
            "--engine",
            "local",
            "--source",
            dir.to_str().unwrap(),
            "--format",
            "chart",
            "--sql",
            &sql,
        ])
        .args(extra)
        .env("COLUMNS", "60"))
}

#[test]
fn charts_refuse_negatives_leave_gaps_for_nulls_and_draw_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let o = chart(dir.path(), "('2026-11-20 01:00:00', 5), ('2026-11-20 00:00:00', -5)", &[]);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("column flows has a value below zero (-5 at 11-20 00:00)"), "{}", o.stderr);

    let o = chart(
        dir.path(),
        "('2026-11-20 02:00:00', 10), ('2026-11-20 00:00:00', 1), ('2026-11-20 01:00:00', CAST(NULL AS BIGINT)), ('2026-11-20 03:00:00', 4)",
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("max 10 at 11-20 02:00"), "{}", o.stdout);
    assert!(o.stdout.contains("a gap in the axis is a time without a value"), "{}", o.stdout);
    let axis = o.stdout.lines().find(|l| l.contains('└')).unwrap();
    assert!(axis.contains(' '), "the NULL's columns are a gap: {axis}");
    let labels = o.stdout.lines().find(|l| l.contains("11-20 00:00")).unwrap();
    let first = labels.find("11-20 00:00").unwrap();
    assert!(labels.find("11-20 02:00").is_none_or(|at| at > first), "{labels}");

    // No rows: said so, not "no time column".
    let empty = run(athq(dir.path()).args([
        "exec",
        "--engine",
        "local",
        "--source",
        dir.path().to_str().unwrap(),
        "--format",
        "chart",
        "--sql",
        "SELECT CAST('2026-11-20' AS TIMESTAMP) AS bucket_start, 1 AS flows WHERE false",
    ]));
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    assert_eq!(empty.stdout, "(no rows to draw)\n");

    // Local times across a daylight-saving change show their offsets.
    let o = chart(
        dir.path(),
        "('2026-11-01 04:00:00', 1), ('2026-11-01 05:00:00', 2), ('2026-11-01 06:00:00', 3), ('2026-11-01 07:00:00', 4)",
        &["--tz", "America/New_York"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("-04:00") && o.stdout.contains("-05:00"), "{}", o.stdout);
}

#[test]
fn times_before_1970_are_refused_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let src = dir.path().to_str().unwrap();
    for from in [
        "--from=-009999-01-02T01:59:59Z",
        "--from=-009999-01-02T03:59:59+02:00",
        "--from=1969-12-31T23:59:59Z",
    ] {
        let o = run(athq(dir.path()).args(["run", "reject-top", "--engine", "local", "--source", src, from]));
        assert_eq!(o.code, 2, "{from}: {}", o.stderr);
        assert!(o.stderr.contains("is before 1970-01-01T00:00:00Z"), "{from}: {}", o.stderr);
    }
    let o = run(athq(dir.path()).env("ATHQ_NOW", "-009999-01-02T01:59:59Z").args([
        "run",
        "reject-top",
        "--engine",
        "local",
        "--source",
        src,
        "--days",
        "1",
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    // In the shell, `\run` with such a time is an error, not a crash.
    let o = script(
        &mut athq(dir.path()),
        &["--engine", "local", "--source", src, "--format", "csv"],
        "\\run reject-top --from=-009999-01-02T01:59:59Z\n",
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("before 1970"), "{}", o.stderr);
}

/// A statement of `n` terms joined by `op`.
fn chain(n: usize, term: &str, op: &str) -> String {
    vec![term; n].join(op)
}

#[test]
fn long_chains_of_terms_plan_and_run_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let n = 10_000;
    let ors = chain(n, "srcaddr = '10.9.9.9'", " OR ");
    let ands = chain(n, "bytes >= 0", " AND ");
    for (sql, want) in [
        (format!("SELECT COUNT(*) AS n FROM vpc_flow_logs WHERE {ors}"), "n\n0\n".to_string()),
        // Arithmetic is planned as written (regrouping could move an overflow), in time that grows
        // with the square of the chain's length: a thousand terms, seven times what once crashed.
        (format!("SELECT {} AS n", chain(1_000, "1", "+")), "n\n1000\n".to_string()),
        (format!("SELECT length({}) AS n", chain(n, "'a'", " || ")), format!("n\n{n}\n")),
        (
            format!("SELECT COUNT(*) AS n FROM vpc_flow_logs WHERE log_status = 'OK' AND NOT ({ands})"),
            "n\n0\n".to_string(),
        ),
        (
            format!("SELECT COUNT(*) AS n FROM ({})", chain(n, "SELECT 1 AS x", " UNION ALL ")),
            format!("n\n{n}\n"),
        ),
    ] {
        let file = dir.path().join("chain.sql");
        std::fs::write(&file, &sql).unwrap();
        let o = run(athq(dir.path())
            .args(["exec", "--engine", "local", "--source", dir.path().to_str().unwrap(), "--format", "csv"])
            .args(["--file", file.to_str().unwrap()]));
        assert_eq!(o.code, 0, "{}: {}", &sql[..60], o.stderr);
        assert_eq!(o.stdout, want, "{}", &sql[..60]);
    }
    // Nesting past the parser's depth says so.
    let mut deep = "bytes".to_string();
    for i in 0..1_100 {
        deep = format!("CASE WHEN bytes > {i} THEN {deep} ELSE 0 END");
    }
    let file = dir.path().join("deep.sql");
    std::fs::write(&file, format!("SELECT {deep} AS v FROM vpc_flow_logs")).unwrap();
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", dir.path().to_str().unwrap()])
        .args(["--file", file.to_str().unwrap()]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("nests expressions or subqueries more than 1000 levels deep"), "{}", o.stderr);
}

#[test]
fn messages_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500", "--days", "1"]);
    let src = dir.path().to_str().unwrap();
    let local = |source: &str| {
        run(athq(dir.path())
            .env("AWS_REGION", "us-east-1")
            .args(["exec", "--engine", "local", "--source", source, "--sql", "SELECT 1"]))
    };
    for (source, says) in [
        ("s3://", "no bucket"),
        ("s3:///AWSLogs/", "no bucket"),
        ("logs:", "no log group"),
        ("s3://bucket/AWSLogs/*/vpcflowlogs/", "globs are not supported on s3:// sources"),
    ] {
        let o = local(source);
        assert_eq!(o.code, 2, "{source}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{source}: {}", o.stderr);
    }
    // Control characters a message quotes are shown, not obeyed.
    let o = exec(dir.path(), "SELECT \u{1b}[31mred FROM nowhere", &[]);
    assert_ne!(o.code, 0);
    assert!(!o.stderr.contains('\u{1b}'), "{:?}", o.stderr);
    assert!(o.stderr.contains("\\u{1b}"), "{}", o.stderr);
    // `--max-scan 0` is a size (the limit then refuses everything on Athena).
    let o = run(athq(dir.path()).args([
        "run",
        "reject-top",
        "--engine",
        "local",
        "--source",
        src,
        "--max-scan",
        "0",
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--estimate and --max-scan are for Athena"), "{}", o.stderr);
    // The shell's help names every format.
    let o = script(&mut athq(dir.path()), &["--engine", "local", "--source", src], "\\help\n");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        format!("{}{}", o.stdout, o.stderr).contains("table, csv, json, ndjson, markdown, chart"),
        "{}",
        o.stdout
    );
}

#[test]
fn cost_messages_tell_tied_figures_apart() {
    let (acct, dir) = crate::cost::setup("text", "");
    crate::cost::put(&acct, dir.path(), "2026/11/21", "a.log.gz", &vec![b'x'; 10_000]);
    let o = run(acct.athq(dir.path()).args(["run", "reject-top", "--days", "1", "--max-scan", "9999"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("more than the limit of 9.8 KiB (9999 bytes)"), "{}", o.stderr);
    assert!(acct.history().is_empty());
}

#[test]
fn partitions_missing_says_when_no_folder_matches_the_layout() {
    let acct = Account::new();
    let bucket = format!("athq-nolayout-{}", acct.id);
    acct.aws(&["s3api", "create-bucket", "--bucket", &bucket]);
    acct.aws(&["glue", "create-database", "--database-input", "Name=flowdb"]);
    let dir = acct.project(&format!(
        "database: flowdb\ntable:\n  location: s3://{bucket}/flat/\n  accounts: ['{}']\n  regions: [us-east-1]\n  partitioning: managed\n",
        acct.id
    ));
    let file = dir.path().join("x.log.gz");
    std::fs::write(&file, b"x").unwrap();
    acct.aws(&[
        "s3",
        "cp",
        "--quiet",
        file.to_str().unwrap(),
        &format!("s3://{bucket}/flat/2026/11/21/x.log.gz"),
    ]);
    let o = run(acct.athq(dir.path()).args(["table", "create", "--via", "glue"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // A look says so and goes on; a check of nothing does not pass.
    let o = run(acct.athq(dir.path()).args(["partitions", "missing"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("warning: no dated folder under the table's location matches its layout"),
        "{}",
        o.stderr
    );
    let o = run(acct.athq(dir.path()).args(["partitions", "missing", "--check"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: no dated folder under the table's location matches its layout"),
        "{}",
        o.stderr
    );
}
