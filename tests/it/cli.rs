//! The built binary: output streams, exit codes, messages, settings precedence, help.

use std::io::Read;
use std::process::Stdio;

use crate::{NOW, run};

use crate::support::athq;

const CONFIG: &str = "\
database: flowdb
workgroup: analysts
vpc_cidrs: [10.20.0.0/16]
table:
  name: vpc_flow_logs
  location: s3://athq-flow-logs/AWSLogs/
  accounts: ['111122223333']
  regions: [us-east-1]
";

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("athq.yaml"), config).unwrap();
    dir
}

#[test]
fn render_prints_only_sql_on_stdout() {
    let dir = project(CONFIG);
    let o = run(athq(dir.path()).args(["render", "reject-top", "--days", "3"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stderr, "");
    assert!(o.stdout.starts_with("WITH rejected AS (\n  SELECT srcaddr, dstport,"), "{}", o.stdout);
    assert!(o.stdout.contains("FROM \"flowdb\".\"vpc_flow_logs\"\n  WHERE \"day\" BETWEEN '2026/11/19' AND '2026/11/22'\n  AND \"end\" >= 1795083960 AND \"start\" < 1795343160\n"), "{}", o.stdout);
    assert!(o.stdout.ends_with("LIMIT 25\n-- athq: reject-top v2\n"), "{}", o.stdout);
}

#[test]
fn the_config_is_found_from_a_subdirectory_and_flags_win() {
    let dir = project(CONFIG);
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    let o = run(athq(&sub).args(["render", "outbound-well-known-ports"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("contains('10.20.0.0/16', TRY_CAST(srcaddr AS IPADDRESS))"), "{}", o.stdout);
    let o = run(athq(&sub).env("ATHQ_DATABASE", "envdb").args(["render", "reject-top"]));
    assert!(o.stdout.contains("FROM \"envdb\".\"vpc_flow_logs\""), "{}", o.stdout);
    let o =
        run(athq(&sub).env("ATHQ_DATABASE", "envdb").args(["render", "reject-top", "--database", "flagdb"]));
    assert!(o.stdout.contains("FROM \"flagdb\".\"vpc_flow_logs\""), "{}", o.stdout);
    let o = run(athq(&sub).args(["render", "outbound-well-known-ports", "-p", "internal=192.168.0.0/24"]));
    assert!(o.stdout.contains("contains('192.168.0.0/24', TRY_CAST(srcaddr AS IPADDRESS))"), "{}", o.stdout);
}

#[test]
fn usage_and_input_errors_exit_2_with_a_hint() {
    let dir = project(CONFIG);
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["render", "reject-tpo"],
            "error: no query named `reject-tpo` in the library",
            "hint: did you mean `reject-top`?",
        ),
        (
            &["render", "reject-top", "-p", "limt=5"],
            "error: query `reject-top` has no parameter `limt`",
            "hint: did you mean `limit`?",
        ),
        (
            &["render", "reject-top", "-p", "limit=0"],
            "error: query `reject-top`, parameter `limit` (queries/reject-top.sql line 11): 0 is below the minimum 1",
            "hint: `athq show reject-top` lists its parameters",
        ),
        (
            &["render", "reject-top", "-p", "limit"],
            "error: `limit` is not of the form name=value",
            "hint: write --param name=value",
        ),
        (
            &["render", "find-ip"],
            "error: query `find-ip` needs parameter `ip` (queries/find-ip.sql line 11), which has no default",
            "hint: pass --param ip=…",
        ),
        (
            &["render", "find-ip", "-p", "ip=10.0.0.1' OR 1=1"],
            "`10.0.0.1' OR 1=1` is not an IPv4 or IPv6 address",
            "",
        ),
        (
            &["render", "top-instances"],
            "error: query `top-instances` needs `instance-id` (format v3 or later), which table `vpc_flow_logs` (fields: v2) does not have",
            "hint: the flow log must record instance-id (format v3, or a custom format with them); then set table.fields",
        ),
        (&["render", "reject-top", "--from", "2026-11-23"], "error: the window is empty", ""),
        (
            &["render", "reject-top", "--from", "last tuesday"],
            "error: --from: `last tuesday` is not a time",
            "",
        ),
        (
            &["partitions", "repair", "--print", "--partitioning", "managed"],
            "error: MSCK REPAIR TABLE cannot find partitions in the plain AWS layout",
            "hint: add the partitions for the days you need with `athq partitions add",
        ),
        (
            &["partitions", "add", "--from", "2026-11-01", "--print"],
            "error: table `vpc_flow_logs` uses partition projection",
            "",
        ),
        (
            &["partitions", "add", "--from", "2026-11-01", "--partitioning", "managed"],
            "error: no AWS region: set region in athq.yaml, pass --region, or set AWS_REGION",
            "",
        ),
        (
            &["table", "ddl", "--fields", "srcaddr bogus"],
            "error: --fields: unknown flow-log field `bogus`",
            "",
        ),
        (&["render"], "error: the following required arguments were not provided", ""),
        (&["render", "reject-top", "--days", "3", "--hours", "2"], "cannot be used with", ""),
    ];
    for (args, msg, hint) in cases {
        let o = run(athq(dir.path()).args(*args));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
        assert!(o.stderr.contains(msg), "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(hint), "{args:?}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{args:?}: {}", o.stderr);
    }
}

#[test]
fn malformed_query_files_and_configs_name_file_and_line() {
    let dir = project(CONFIG);
    let lib = dir.path().join("my-queries");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(lib.join("mine.sql"), "/*\nname: mine\nversion: 1\ntitle: t\nparams:\n  n: {type: nmber}\nfields: [srcaddr]\n*/\nSELECT 1\n").unwrap();
    let o = run(athq(dir.path()).args(["check", "--library", "my-queries"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("error: 1 problem(s) in the library")
            && o.stderr.contains("/my-queries/mine.sql:6: params.n.type: unknown variant `nmber`"),
        "{}",
        o.stderr
    );

    std::fs::write(lib.join("mine.sql"), "/*\nname: mine\nversion: 1\ntitle: t\nfields: [srcaddr]\n*/\nSELECT {{ srcaddr }} FROM {{ table }}\n").unwrap();
    let o = run(athq(dir.path()).args(["check", "--library", "my-queries"]));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(
            "my-queries/mine.sql:7: the template uses `srcaddr`, which is not a declared parameter"
        ),
        "{}",
        o.stderr
    );

    let bad = project("workgroup: a\ntable:\n  name: flows\n  partitionning: managed\n");
    let o = run(athq(bad.path()).args(["list"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("athq.yaml:4: table: unknown field `partitionning`"), "{}", o.stderr);
    let o = run(athq(dir.path()).args(["list", "--config", "missing.yaml"]));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("missing.yaml does not exist"), "{}", o.stderr);
}

#[test]
fn user_queries_overlay_the_builtins() {
    let dir = project(&format!("{CONFIG}library: [mine]\n"));
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(
        dir.path().join("mine/reject-top.sql"),
        "/*\nname: reject-top\nversion: 7\ntitle: Mine\nfields: [srcaddr, start, end]\n*/\nSELECT srcaddr FROM {{ table }} WHERE {{ time_filter() }}\n",
    )
    .unwrap();
    let o = run(athq(dir.path()).args(["list"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.lines().any(|l| l.starts_with("reject-top") && l.contains(" 7 ") && l.contains("Mine")),
        "{}",
        o.stdout
    );
    let o = run(athq(dir.path()).args(["show", "reject-top"]));
    assert!(o.stdout.contains("mine/reject-top.sql"), "{}", o.stdout);
}

#[test]
fn list_and_show() {
    let dir = project(CONFIG);
    let o = run(athq(dir.path()).args(["list"]));
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("NAME"), "{}", o.stdout);
    assert_eq!(o.stdout.lines().count(), 1 + athq::library::Library::builtin().unwrap().len());
    let o = run(athq(dir.path()).args(["list", "--tag", "seed"]));
    assert_eq!(o.stdout.lines().count(), 1 + 7, "{}", o.stdout);
    let o = run(athq(dir.path()).args(["show", "port-scan"]));
    assert!(o.stdout.contains("min_ports  int 2..65536 = 20"), "{}", o.stdout);
    let o = run(athq(dir.path()).args(["show", "port-scan", "--sql"]));
    assert!(o.stdout.starts_with("/*\nname: port-scan"), "{}", o.stdout);
    assert!(o.stderr.is_empty(), "{}", o.stderr);
    // The old spelling still works, and says what it is now.
    let old = run(athq(dir.path()).args(["show", "port-scan", "--source"]));
    assert_eq!(old.stdout, o.stdout);
    assert!(old.stderr.contains("warning: `show --source` is now `show --sql`"), "{}", old.stderr);
}

#[test]
fn help_says_which_format_each_command_takes() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| run(athq(dir.path()).args(args).arg("--help")).stdout;
    for cmd in [&["run"][..], &["exec"], &["results"]] {
        let h = help(cmd);
        assert!(h.contains("Output format of the rows"), "{cmd:?}: {h}");
        assert!(!h.contains("Storage format"), "{cmd:?}: {h}");
    }
    for cmd in [&["table", "ddl"][..], &["render"], &["partitions", "add"], &["sample"]] {
        let h = help(cmd);
        assert!(h.contains("torage format"), "{cmd:?}: {h}");
        assert!(!h.contains("Output format of the rows"), "{cmd:?}: {h}");
    }
    let h = help(&["run"]);
    assert!(h.contains("Global options:"), "{h}");
    assert!(h.contains("Embedded engine (--engine local):"), "{h}");
    // Old spellings are hidden from help but still accepted, with a warning.
    assert!(!help(&["sample"]).contains("--out "), "{}", help(&["sample"]));
    let o = run(athq(dir.path()).args(["render", "reject-top", "--dialect", "local"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("warning: --dialect is now --engine"), "{}", o.stderr);
    let new = run(athq(dir.path()).args(["render", "reject-top", "--engine", "local"]));
    assert_eq!(new.stdout, o.stdout);
}

#[test]
fn ddl_and_partitions_print() {
    let dir = project(CONFIG);
    for args in [
        &["table", "ddl"][..],
        &["table", "ddl", "--format", "parquet", "--hive", "--hourly", "--projection"],
        &["table", "ddl", "--format", "regex", "--fields", "v5"],
    ] {
        let o = run(athq(dir.path()).args(args));
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        assert!(
            o.stdout.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `flowdb`.`vpc_flow_logs` ("),
            "{}",
            o.stdout
        );
    }
    let o = run(athq(dir.path()).args([
        "partitions",
        "add",
        "--from",
        "2026-11-20",
        "--print",
        "--partitioning",
        "managed",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.matches("PARTITION (").count(), 3);
    assert!(o.stdout.ends_with("/2026/11/22/';\n\n"), "{}", o.stdout);
    assert_eq!(o.stderr, "1 statement(s) for 2026-11-20..2026-11-22\n");
    let o = run(athq(dir.path()).args([
        "-q",
        "partitions",
        "repair",
        "--print",
        "--hive",
        "--partitioning",
        "managed",
    ]));
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "MSCK REPAIR TABLE `flowdb`.`vpc_flow_logs`;\n\n", "")
    );
}

#[test]
fn help_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["list", "--help"],
        &["show", "--help"],
        &["render", "--help"],
        &["table", "--help"],
        &["table", "ddl", "--help"],
        &["partitions", "--help"],
        &["partitions", "repair", "--help"],
        &["partitions", "add", "--help"],
        &["partitions", "drop", "--help"],
    ] {
        let o = run(athq(dir.path()).args(args));
        assert_eq!(o.code, 0, "{args:?}");
        assert!(o.stdout.contains("Usage: athq"), "{args:?}");
    }
    let o = run(athq(dir.path()).args(["--help"]));
    assert!(o.stdout.contains("Examples:"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = project(CONFIG);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
        .current_dir(dir.path())
        .env(athq::env_vars::ATHQ_NOW, NOW)
        .args([
            "partitions",
            "add",
            "--from",
            "2020-01-01",
            "--hourly",
            "--partitioning",
            "managed",
            "--print",
            "-q",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn table_ddl_names_every_missing_setting_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(athq(dir.path()).args(["table", "ddl"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: the table needs `location`, `accounts`, `regions` set for this"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("hint: set table.location, table.accounts, table.regions in athq.yaml, or pass --location --accounts --regions"),
        "{}",
        o.stderr
    );
    // The region in use is the default region of the logs.
    let o = run(athq(dir.path())
        .env("AWS_REGION", "eu-west-1")
        .args(["table", "ddl", "--location", "s3://logs/AWSLogs/"])
        .args(["--accounts", "111122223333"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("'projection.aws_region.values' = 'eu-west-1'"), "{}", o.stdout);
}

#[test]
fn a_time_in_a_named_zone_is_honoured_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let render = |from: &str| {
        run(athq(dir.path()).args(["render", "reject-top", "--from", from, "--to", "2026-11-21"]))
    };
    let ny = render("2026-11-20T10:30[America/New_York]");
    assert_eq!(ny.code, 0, "{}", ny.stderr);
    assert_eq!(ny.stdout, render("2026-11-20T15:30:00Z").stdout);
    let bad = render("2026-11-20T10:30+00:00[America/New_York]");
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.starts_with("error: --from: `2026-11-20T10:30+00:00[America/New_York]`: "),
        "{}",
        bad.stderr
    );
}
