//! Every command in the README's shell blocks, run as a user would paste it (through bash, with
//! the built athq on PATH), in a project using `examples/athq.yaml`, against the AWS stand-in and
//! sample logs on disk and in S3. A README example that fails on the defaults it documents fails here.

use std::path::Path;

use crate::run;
use crate::standin::Account;
use crate::support::clean;

/// The command lines of the README's ```sh blocks that run athq (`cargo run -q [--profile try]
/// [--no-default-features] --` is athq; local_only.rs runs the first with the build it names).
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        let line = line.trim();
        let cargo = [
            "cargo run -q --profile try --no-default-features -- ",
            "cargo run -q --profile try -- ",
            "cargo run -q -- ",
        ];
        if in_sh && (line.starts_with("athq ") || cargo.iter().any(|c| line.starts_with(c))) {
            out.push(cargo.iter().fold(line.to_string(), |l, c| l.replace(c, "athq ")));
        }
    }
    out
}

#[test]
fn every_readme_command_runs_on_its_documented_defaults() {
    let commands = readme_commands();
    assert!(commands.len() > 30, "{commands:?}");

    let acct = Account::new();
    for wg in ["analysts", "secops"] {
        acct.aws(&["athena", "create-work-group", "--name", wg]);
    }
    for bucket in ["athq-query-results-111122223333", "athq-flow-logs-111122223333", "logs"] {
        acct.aws(&["s3api", "create-bucket", "--bucket", bucket]);
    }
    acct.aws(&["glue", "create-database", "--database-input", "Name=flowlogs"]);
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/athq.yaml")).unwrap();
    let dir = acct.project(&config);

    // Logs on disk (./AWSLogs) and the same in S3 (s3://logs/AWSLogs/).
    let o = run(acct.athq(dir.path()).args(["sample", "--output", ".", "--records", "5000"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    acct.aws(&[
        "s3",
        "cp",
        "--recursive",
        "--quiet",
        dir.path().join("AWSLogs").to_str().unwrap(),
        "s3://logs/AWSLogs/",
    ]);
    // The example configuration's own bucket holds its account's logs, so that the partition and
    // estimate examples look at real folders.
    let own = tempfile::tempdir().unwrap();
    let o = run(acct.athq(dir.path()).args(["sample", "--output", own.path().to_str().unwrap()]).args([
        "--records",
        "2000",
        "--account",
        "111122223333",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    acct.aws(&[
        "s3",
        "cp",
        "--recursive",
        "--quiet",
        own.path().join("AWSLogs").to_str().unwrap(),
        "s3://athq-flow-logs-111122223333/AWSLogs/",
    ]);
    // And published to CloudWatch Logs (stamped now: it refuses events older than 14 days).
    crate::cwlogs::seed(&acct, "/vpc/flow-logs", &dir.path().join("AWSLogs"), &["--stamp-now"]);
    std::fs::write(
        dir.path().join("investigation.sql"),
        "SELECT srcaddr FROM vpc_flow_logs WHERE day >= '2026/11/20' LIMIT 5\n",
    )
    .unwrap();
    // A query id for status, results and cancel.
    let o = run(acct.athq(dir.path()).args(["exec", "--sql", "SELECT 1"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let id = o.stderr.split_whitespace().skip_while(|w| *w != "query").nth(1).unwrap().to_string();

    let bin = assert_cmd::cargo::cargo_bin("athq");
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    for line in &commands {
        let mut cmd = std::process::Command::new("bash");
        clean(&mut cmd, dir.path());
        cmd.envs(acct.env()).env("PATH", &path).env("ID", &id).args(["-c", line]);
        let o = run(&mut assert_cmd::Command::from_std(cmd));
        assert_eq!(o.code, 0, "README command failed: {line}\nstdout: {}\nstderr: {}", o.stdout, o.stderr);
        assert!(!o.stderr.contains("warning: "), "README command warns: {line}\n{}", o.stderr);
    }
    assert!(Path::new(&dir.path().join("flows.csv")).is_file());
}

#[test]
fn the_readme_lists_exactly_the_functions_athq_adds() {
    // The block between the markers is generated; ATHQ_BLESS=1 writes it.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- functions:start -->\n", "<!-- functions:end -->");
    let a = text.find(start).expect("README has the functions block") + start.len();
    let b = text.find(end).unwrap();
    let want = athq::engine::local::functions_markdown();
    if std::env::var("ATHQ_BLESS").is_ok() {
        std::fs::write(path, format!("{}{want}{}", &text[..a], &text[b..])).unwrap();
        return;
    }
    assert_eq!(&text[a..b], want, "the README's function table is stale: run with ATHQ_BLESS=1");
}
