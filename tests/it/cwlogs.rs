//! CloudWatch Logs as a source (`--source logs:GROUP`): sample logs published to the stand-in's
//! CloudWatch Logs one event a record, one stream an interface, as VPC Flow Logs publishes them;
//! the library's queries must answer exactly as over the files themselves.

use std::process::Command;

use crate::run;
use crate::standin::Account;

/// Now, as CloudWatch Logs (which refuses events older than 14 days) sees it.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Publishes the text logs under `root` to `group` (see cwl_seed.py for `extra`); returns how many
/// events.
pub fn seed(acct: &Account, group: &str, root: &std::path::Path, extra: &[&str]) -> usize {
    let out = Command::new(crate::support::python())
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/cwl_seed.py"))
        .args([group, root.to_str().unwrap()])
        .args(extra)
        .envs(acct.env())
        .output()
        .unwrap();
    assert!(out.status.success(), "seeding: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().parse().unwrap()
}

#[test]
fn a_log_group_answers_the_library_as_the_files_do() {
    let acct = Account::new();
    let dir = acct.project("vpc_cidrs: [10.20.0.0/16]\nengine: local\n");
    let now = now();
    let logs = dir.path().join("logs");
    let o = run(acct.athq(dir.path()).env("ATHQ_NOW", &now).args([
        "sample",
        "--output",
        logs.to_str().unwrap(),
        "--records",
        "3000",
        "--days",
        "2",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let published = seed(&acct, "/vpc/flow-logs", &logs, &[]);
    assert!(published > 2500, "{published}");
    // The AWS CLI sees what VPC Flow Logs would have published: a stream per interface.
    let streams = acct.aws(&["logs", "describe-log-streams", "--log-group-name", "/vpc/flow-logs"]);
    let first = streams["logStreams"][0]["logStreamName"].as_str().unwrap().to_string();
    assert!(first.starts_with("eni-") && first.ends_with("-all"), "{first}");

    let answer = |source: &str, query: &[&str], extra: &[&str]| {
        let o = run(acct
            .athq(dir.path())
            .env("ATHQ_NOW", &now)
            .args(["run"])
            .args(query)
            .args(["--source", source, "--days", "3", "--format", "csv"])
            .args(extra));
        assert_eq!(o.code, 0, "{source} {query:?}: {}", o.stderr);
        o
    };
    // An address that occurs: the first internal source of the bytes-by-pair answer.
    let files = answer(logs.to_str().unwrap(), &["bytes-by-pair"], &[]);
    let ip = files.stdout.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    for query in [vec!["reject-top"], vec!["bytes-by-pair"], vec!["find-ip", "-p", &format!("ip={ip}")]] {
        let from_files = answer(logs.to_str().unwrap(), &query, &[]);
        let from_logs = answer("logs:/vpc/flow-logs", &query, &[]);
        assert!(from_files.stdout.lines().count() > 1, "{query:?}: {}", from_files.stdout);
        assert_eq!(from_logs.stdout, from_files.stdout, "{query:?}");
    }

    // --interface reads one interface's stream: its flows are the files' flows of that interface.
    let eni = first.trim_end_matches("-all");
    let sql = format!("SELECT COUNT(*) AS flows FROM vpc_flow_logs WHERE interface_id = '{eni}'");
    let count = |source: &str, extra: &[&str]| {
        let o = run(acct
            .athq(dir.path())
            .env("ATHQ_NOW", &now)
            .args(["exec", "--source", source, "--format", "csv", "--sql", &sql])
            .args(extra));
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let one = count("logs:/vpc/flow-logs", &["--interface", eni]);
    assert_eq!(one, count(logs.to_str().unwrap(), &[]));
    assert_ne!(one, "flows\n0\n");

    // An event published with the AWS CLI's put-log-events is read like the rest.
    acct.aws(&[
        "logs",
        "create-log-stream",
        "--log-group-name",
        "/vpc/flow-logs",
        "--log-stream-name",
        "eni-0c11c11c11c11c11c-all",
    ]);
    let start = jiff::Timestamp::now().as_second() - 600;
    let event = format!(
        "[{{\"timestamp\": {}, \"message\": \"2 123456789012 eni-0c11c11c11c11c11c 10.20.9.9 198.51.100.7 40000 443 6 10 5000 {start} {} ACCEPT OK\"}}]",
        start * 1000,
        start + 60
    );
    acct.aws(&[
        "logs",
        "put-log-events",
        "--log-group-name",
        "/vpc/flow-logs",
        "--log-stream-name",
        "eni-0c11c11c11c11c11c-all",
        "--log-events",
        &event,
    ]);
    let o = run(acct.athq(dir.path()).env("ATHQ_NOW", &now).args([
        "exec",
        "--source",
        "logs:/vpc/flow-logs",
        "--interface",
        "eni-0c11c11c11c11c11c",
        "--format",
        "csv",
        "--sql",
        "SELECT srcaddr, dstaddr, bytes FROM vpc_flow_logs",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "srcaddr,dstaddr,bytes\n10.20.9.9,198.51.100.7,5000\n");

    // A flow log whose format lacks interface-id: the stream's name supplies it.
    seed(&acct, "/vpc/no-eni", &logs, &["--drop", "interface-id"]);
    let fields = "version account-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    // Read with fields that name interface-id, which these messages lack, no line fits: they are
    // skipped and the footer says so, never read into the wrong columns.
    let no_eni = |extra: &[&str]| {
        run(acct
            .athq(dir.path())
            .env("ATHQ_NOW", &now)
            .args(["exec", "--source", "logs:/vpc/no-eni", "--format", "csv", "--sql", &sql])
            .args(extra))
    };
    let o = no_eni(&["--interface", eni]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "flows\n0\n");
    assert!(o.stderr.contains("corrupt line(s) skipped"), "{}", o.stderr);
    std::fs::write(
        dir.path().join("athq.yaml"),
        format!("vpc_cidrs: [10.20.0.0/16]\nengine: local\ntable:\n  fields: {fields}\n"),
    )
    .unwrap();
    let o = no_eni(&[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, one);

    // A group that does not exist is AWS's error on one line, exit 2.
    let o = run(acct.athq(dir.path()).env("ATHQ_NOW", &now).args([
        "exec",
        "--source",
        "logs:/nope",
        "--sql",
        "SELECT 1",
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("CloudWatch Logs DescribeLogStreams (/nope): ResourceNotFoundException"),
        "{}",
        o.stderr
    );
}
