//! The build without AWS (`--no-default-features`), which the README's first command builds:
//! scripts/test builds it beside the tests' binary and names it in ATHQ_TEST_LOCAL_ONLY_BIN. It
//! runs the README's first command and the library over local files with the same answers as the
//! full build, and refuses everything that needs AWS with exit 2 and how to get a build that has it.

use std::path::{Path, PathBuf};

use crate::run;
use crate::support::{athq, clean};

/// The local-only binary, or None (with a note) when the tests run without scripts/test.
#[allow(clippy::print_stderr)] // a skipped check says so
fn local_only() -> Option<PathBuf> {
    match std::env::var_os("ATHQ_TEST_LOCAL_ONLY_BIN") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            eprintln!("local_only: ATHQ_TEST_LOCAL_ONLY_BIN is unset (scripts/test sets it): not checked");
            None
        }
    }
}

fn cmd(bin: &Path, dir: &Path) -> assert_cmd::Command {
    let mut c = std::process::Command::new(bin);
    clean(&mut c, dir);
    assert_cmd::Command::from_std(c)
}

/// The README's first command: `cargo run … --no-default-features -- ARGS && cargo run … -- ARGS`.
fn first_command() -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = text.split("```sh\n").nth(1).unwrap();
    block.lines().next().unwrap().to_string()
}

#[test]
fn the_readmes_first_command_builds_without_aws() {
    let line = first_command();
    let prefix = "cargo run -q --profile try --no-default-features -- ";
    assert_eq!(line.matches(prefix).count(), 2, "{line}");
    let Some(bin) = local_only() else { return };
    let dir = tempfile::tempdir().unwrap();
    let shim = dir.path().join("bin");
    std::fs::create_dir(&shim).unwrap();
    std::os::unix::fs::symlink(&bin, shim.join("athq")).unwrap();
    let mut sh = std::process::Command::new("bash");
    clean(&mut sh, dir.path());
    let path = format!("{}:{}", shim.display(), std::env::var("PATH").unwrap_or_default());
    // The demo's sample is dated by the clock: the test's fixed clock stands for it.
    sh.env("PATH", path).args(["-c", &line.replace(prefix, "athq ")]);
    let o = run(&mut assert_cmd::Command::from_std(sh));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("srcaddr") && o.stdout.contains("rejected_flows"), "{}", o.stdout);
    assert!(o.stdout.lines().count() > 10, "{}", o.stdout);
}

const LOCATION: &str = "s3://flow-logs/AWSLogs/";

#[test]
fn the_build_without_aws_answers_as_the_full_build_and_refuses_what_needs_aws() {
    let Some(bin) = local_only() else { return };
    let dir = tempfile::tempdir().unwrap();
    let o = run(cmd(&bin, dir.path()).args(["sample", "--output", ".", "--records", "3000"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for q in ["reject-top", "bytes-by-pair", "top-talkers"] {
        let args = ["run", q, "--days", "3", "--engine", "local", "--source", ".", "--format", "csv"];
        let mine = run(cmd(&bin, dir.path()).args(args));
        let full = run(athq(dir.path()).args(args));
        assert_eq!(mine.code, 0, "{q}: {}", mine.stderr);
        assert_eq!(mine.stdout, full.stdout, "{q}");
        assert!(mine.stdout.lines().count() > 1, "{q}: {}", mine.stdout);
    }

    let refused: [&[&str]; 6] = [
        &["run", "reject-top", "--days", "3"],
        &["run", "reject-top", "--days", "3", "--engine", "local", "--source", "s3://logs/AWSLogs/"],
        &["run", "reject-top", "--days", "3", "--engine", "local", "--source", "logs:/vpc/flow-logs"],
        &["saved", "list"],
        &["history"],
        &["table", "create", "--via", "glue", "--location", LOCATION, "--accounts", "123456789012"],
    ];
    for args in refused {
        let o = run(cmd(&bin, dir.path()).args(args).env("AWS_REGION", "us-east-1"));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains("needs AWS, and this athq was built without it"), "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains("cargo build --release"), "{args:?}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
    }
    // What needs no AWS works as it does in the full build.
    let args =
        ["table", "ddl", "--location", LOCATION, "--accounts", "123456789012", "--regions", "us-east-1"];
    let ddl = run(cmd(&bin, dir.path()).args(args));
    assert_eq!(ddl.code, 0, "{}", ddl.stderr);
    assert!(ddl.stdout.contains("CREATE EXTERNAL TABLE"), "{}", ddl.stdout);
    assert_eq!(ddl.stdout, run(athq(dir.path()).args(args)).stdout);
}
