//! Helpers every test module shares: the built binary with a clean environment, the Python the
//! test tools were installed into, and what a run printed.

use std::path::{Path, PathBuf};

/// The Python scripts/test installed the tools into (sqlglot, moto, the AWS CLI, DuckDB).
pub fn python() -> String {
    std::env::var("ATHQ_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// A tool installed beside that Python (`aws`), else from PATH.
pub fn tool(name: &str) -> PathBuf {
    let py = PathBuf::from(python());
    match py.parent() {
        Some(dir) if dir.join(name).exists() => dir.join(name),
        _ => PathBuf::from(name),
    }
}

/// `athq` in `dir`, with no ATHQ_* or AWS settings from the outside world and the tests' clock.
pub fn athq(dir: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(athq_std(dir))
}

/// The same, as a plain command (for a pseudo-terminal).
pub fn athq_std(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"));
    clean(&mut cmd, dir);
    cmd
}

/// Any command (a shell running athq) in `dir`, with the same clean environment as `athq`.
pub fn clean(cmd: &mut std::process::Command, dir: &Path) {
    cmd.current_dir(dir);
    for var in athq::env_vars::ALL {
        cmd.env_remove(var);
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_MAX_ATTEMPTS"] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/athq-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/athq-test")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd.env(athq::env_vars::ATHQ_NOW, crate::NOW);
}

/// What a run of the binary printed, and its exit code.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut assert_cmd::Command) -> Out {
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// Runs a command to its end; returns its exit code and its peak resident memory in KiB (the
/// kernel's count, from wait4).
#[allow(clippy::zombie_processes)] // wait4 reaps it
pub fn peak_memory(cmd: &mut std::process::Command) -> (i32, u64) {
    let child = cmd.spawn().expect("the command starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct the kernel fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64)
}
