//! `athq sql` through a pseudo-terminal, as a person types at it: multi-line statements, output
//! formats, completion, saved queries, history across sessions, Ctrl-C and Ctrl-D; on the embedded
//! engine and on Athena (the stand-in), where Ctrl-C must stop the running query.

use std::path::Path;

use rexpect::session::{PtySession, spawn_command};
use serde_json::json;

use crate::local::{duck, sample};
use crate::standin::Account;
use crate::support::{athq, athq_std, run};

const TIMEOUT_MS: u64 = 60_000;

fn shell(dir: &Path, history: &Path, args: &[&str], env: &[(&'static str, String)]) -> PtySession {
    let mut cmd = athq_std(dir);
    cmd.arg("sql").args(args).env("ATHQ_HISTORY", history).env("TERM", "xterm").envs(env.iter().cloned());
    spawn_command(cmd, Some(TIMEOUT_MS)).unwrap()
}

/// Waits for the prompt that starts a statement.
fn prompt(p: &mut PtySession, engine: &str) -> String {
    p.exp_string(&format!("athq:{engine}> ")).unwrap()
}

/// The lines of a CSV answer as the terminal shows them (`\r\n` endings).
fn terminal_lines(csv: &str) -> String {
    csv.lines().map(|l| format!("{l}\r\n")).collect()
}

#[test]
fn a_session_on_the_embedded_engine() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &[]);
    let src = dir.path().to_str().unwrap();
    let history = dir.path().join("state/history");
    let mut p = shell(dir.path(), &history, &["--engine", "local", "--source", src], &[]);
    prompt(&mut p, "local");

    // A statement over two lines, printed as CSV, equal to DuckDB's answer.
    p.send_line("\\format csv").unwrap();
    prompt(&mut p, "local");
    p.send_line("SELECT action, COUNT(*) AS flows, SUM(bytes) AS total").unwrap();
    p.exp_string("-> ").unwrap();
    p.send_line("FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1;").unwrap();
    let want = duck(
        "text",
        dir.path(),
        "SELECT action, COUNT(*) AS flows, SUM(bytes) AS total FROM flows WHERE log_status = 'OK' GROUP BY 1 ORDER BY 1",
    );
    p.exp_string(&terminal_lines(&want)).unwrap();
    // Each statement's footer counts its own reading.
    p.exp_string("20000 records").unwrap();
    prompt(&mut p, "local");
    p.send_line("SELECT COUNT(*) AS n FROM vpc_flow_logs WHERE day = '2026/11/21';").unwrap();
    p.exp_string(", 576 pruned by partition").unwrap();
    prompt(&mut p, "local");

    // Tab completes a column; the statement then runs as completed.
    p.send("SELECT dstp").unwrap();
    p.send("\t").unwrap();
    p.send_line(" FROM vpc_flow_logs ORDER BY 1 LIMIT 1;").unwrap();
    p.exp_string("dstport\r\n0\r\n").unwrap();
    prompt(&mut p, "local");

    // A saved query, on this engine and source, in this format.
    p.send_line("\\run log-health --all").unwrap();
    p.exp_string("interface_id,records,ok,nodata,skipdata").unwrap();
    prompt(&mut p, "local");

    // Errors leave the session going: bad SQL, an unknown command, an engine it cannot open.
    p.send_line("SELECT nope FROM vpc_flow_logs;").unwrap();
    p.exp_string("error: ").unwrap();
    prompt(&mut p, "local");
    p.send_line("\\frobnicate").unwrap();
    p.exp_string("unknown command \\frobnicate").unwrap();
    prompt(&mut p, "local");
    p.send_line("\\engine oracle").unwrap();
    p.exp_string("`oracle` is not an engine").unwrap();
    prompt(&mut p, "local");
    p.send_line("\\help").unwrap();
    p.exp_string("\\run QUERY").unwrap();
    prompt(&mut p, "local");

    // Ctrl-C at the prompt drops the half-typed statement; Ctrl-D leaves with 0.
    p.send("SELECT 1").unwrap();
    p.send_control('c').unwrap();
    prompt(&mut p, "local");
    p.send_line("SELECT 42 AS answer;").unwrap();
    p.exp_string("answer\r\n42\r\n").unwrap();
    prompt(&mut p, "local");
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(p.process().wait().unwrap(), rexpect::process::WaitStatus::Exited(_, 0)));

    // History is kept in the file, and the next session recalls it with the up arrow.
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.contains("SELECT 42 AS answer;") && text.contains("\\format csv"), "{text}");
    let mut p = shell(dir.path(), &history, &["--engine", "local", "--source", src, "--format", "csv"], &[]);
    prompt(&mut p, "local");
    p.send("\x1b[A").unwrap();
    p.send_line("").unwrap();
    p.exp_string("answer\r\n42\r\n").unwrap();
    prompt(&mut p, "local");
    p.send_line("\\q").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_stops_the_running_athena_query_and_returns_to_the_prompt() {
    let acct = Account::new();
    acct.aws(&["athena", "create-work-group", "--name", "analysts"]);
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    let dir = acct.project(&format!(
        "database: flowdb\nworkgroup: analysts\noutput_location: s3://athq-results-{}/athena/\n",
        acct.id
    ));
    // A query that keeps running until it is stopped.
    acct.queue_executions(json!([{"states": ["QUEUED", "RUNNING"]}]));
    let history = dir.path().join("history");
    let mut p = shell(dir.path(), &history, &["--format", "csv"], &acct.env());
    prompt(&mut p, "athena");
    p.send_line("SELECT srcaddr FROM vpc_flow_logs;").unwrap();
    // Let it be started and polled before the interrupt.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.send_control('c').unwrap();
    let (_, stopped) = p.exp_regex("interrupted by SIGINT: query [0-9a-f-]+ was stopped").unwrap();
    prompt(&mut p, "athena");
    let id = stopped.rsplit(' ').nth(2).unwrap().to_string();
    let state = acct.aws(&["athena", "get-query-execution", "--query-execution-id", &id]);
    assert_eq!(state["QueryExecution"]["Status"]["State"], "CANCELLED", "{state}");

    // The session goes on: the next statement runs to the end.
    acct.queue_result(&[("n", "bigint")], &[vec!["7"]]);
    p.send_line("SELECT COUNT(*) AS n FROM vpc_flow_logs;").unwrap();
    p.exp_string("n\r\n7\r\n").unwrap();
    prompt(&mut p, "athena");
    p.send_line("\\q").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(p.process().wait().unwrap(), rexpect::process::WaitStatus::Exited(_, 0)));
}

#[test]
fn statements_from_a_pipe_run_in_order_and_stop_at_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000"]);
    let src = dir.path().to_str().unwrap();
    let history = dir.path().join("history");
    let o = run(athq(dir.path())
        .env("ATHQ_HISTORY", &history)
        .args(["sql", "--engine", "local", "--source", src, "--format", "csv"])
        .write_stdin(
            "SELECT 1 AS a;\nSELECT 'x;y' AS b\n;\nSELECT nope FROM vpc_flow_logs;\nSELECT 3 AS c;\n",
        ));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout, "a\n1\nb\nx;y\n");
    assert!(o.stderr.contains("error: ") && o.stderr.contains("nope"), "{}", o.stderr);
    // A script's last statement may leave out its `;`, as `athq exec --file` allows.
    let o = run(athq(dir.path())
        .env("ATHQ_HISTORY", &history)
        .args(["sql", "--engine", "local", "--source", src, "--format", "csv"])
        .write_stdin("SELECT 1 AS a;\nSELECT 2 AS b -- no semicolon\n"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "a\n1\nb\n2\n");
    // Piped statements are not history.
    assert!(!history.exists());
}
