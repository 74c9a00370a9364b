//! The AWS stand-in: moto in server mode, extended by tests/standin/athq_standin.py, started once
//! per test process on a free loopback port and stopped when the process ends (it exits when its
//! stdin closes). Each test works in its own account, chosen by its access key
//! (`ATHQ<account>TEST`), so tests run in parallel without seeing each other.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Standin {
    pub url: String,
    port: u16,
    _process: Mutex<(Child, ChildStdin)>,
}

use crate::support::{python, tool};

pub fn standin() -> &'static Standin {
    static STANDIN: OnceLock<Standin> = OnceLock::new();
    STANDIN.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/standin/athq_standin.py");
        let log = std::env::temp_dir().join(format!("athq-standin-{port}.log"));
        let mut child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the stand-in starts (run scripts/test, which installs moto)");
        let stdin = child.stdin.take().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while http(port, "GET", "/moto-api/data.json", "").is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the stand-in exited ({status}): {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "the stand-in did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Standin { url: format!("http://127.0.0.1:{port}"), port, _process: Mutex::new((child, stdin)) }
    })
}

/// A minimal HTTP/1.1 request (the stand-in's control API takes JSON posts).
fn http(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((status, out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string()))
}

/// One test's account in the stand-in.
pub struct Account {
    pub id: String,
    pub standin: &'static Standin,
}

impl Account {
    pub fn new() -> Account {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let id = format!("{:06}{:06}", std::process::id() % 1_000_000, n);
        Account { id, standin: standin() }
    }

    pub fn access_key(&self) -> String {
        format!("ATHQ{}TEST", self.id)
    }

    /// Environment for anything that talks to the stand-in as this account.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.access_key()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
            ("AWS_ENDPOINT_URL", self.standin.url.clone()),
            ("AWS_CONFIG_FILE", "/nonexistent/athq-test".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/athq-test".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_PAGER", String::new()),
        ]
    }

    fn post(&self, path: &str, body: Value) {
        let (status, text) = http(self.standin.port, "POST", path, &body.to_string()).unwrap();
        assert!((200..300).contains(&status), "{path}: {status} {text}");
    }

    /// Queues a result for the next query this account starts: `header` then `rows`.
    pub fn queue_result(&self, columns: &[(&str, &str)], rows: &[Vec<&str>]) {
        let datum = |v: &str| json!({"VarCharValue": v});
        let mut all = vec![json!({"Data": columns.iter().map(|(n, _)| datum(n)).collect::<Vec<_>>()})];
        for r in rows {
            all.push(json!({"Data": r.iter().map(|v| if *v == "NULL" { json!({}) } else { datum(v) }).collect::<Vec<_>>()}));
        }
        let info: Vec<Value> =
            columns.iter().map(|(n, t)| json!({"Name": n, "Type": t, "Label": n})).collect();
        self.post(
            "/moto-api/static/athena/query-results",
            json!({"account_id": self.id, "region": "us-east-1", "results": [{"rows": all, "column_info": info}]}),
        );
    }

    /// Queues scripted executions (see athq_standin.py) for this account's next queries.
    pub fn queue_executions(&self, executions: Value) {
        self.post(
            "/moto-api/athq/athena/executions",
            json!({"account_id": self.id, "region": "us-east-1", "executions": executions}),
        );
    }

    /// Faults for this account's named-query calls (see athq_standin.py).
    pub fn queue_named_query_faults(&self, faults: Value) {
        let mut body = faults;
        body["account_id"] = json!(self.id);
        body["region"] = json!("us-east-1");
        self.post("/moto-api/athq/athena/named-query-faults", body);
    }

    /// Runs the AWS CLI against the stand-in as this account; returns its JSON output.
    pub fn aws(&self, args: &[&str]) -> Value {
        let out = self.aws_raw(args);
        assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        // `aws s3` commands print text, not JSON.
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }

    pub fn aws_raw(&self, args: &[&str]) -> std::process::Output {
        Command::new(tool("aws"))
            .args(args)
            .args(["--output", "json"])
            .envs(self.env())
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .expect("the AWS CLI runs (scripts/test installs it)")
    }

    /// The query strings this account has run, oldest first.
    pub fn history(&self) -> Vec<Value> {
        let ids = self.aws(&["athena", "list-query-executions"]);
        let mut execs: Vec<Value> = ids["QueryExecutionIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| {
                self.aws(&["athena", "get-query-execution", "--query-execution-id", id.as_str().unwrap()])
                        ["QueryExecution"]
                        .clone()
            })
            .collect();
        execs.sort_by(|a, b| {
            a["Status"]["SubmissionDateTime"]
                .as_f64()
                .partial_cmp(&b["Status"]["SubmissionDateTime"].as_f64())
                .unwrap()
        });
        execs
    }

    /// A project directory with this athq.yaml.
    pub fn project(&self, config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("athq.yaml"), config).unwrap();
        dir
    }

    /// `athq` in `dir` as this account, with a fixed clock and no outside ATHQ_* settings.
    pub fn athq(&self, dir: &Path) -> assert_cmd::Command {
        let mut cmd = crate::support::athq(dir);
        cmd.envs(self.env());
        cmd
    }
}

/// tests/standin/fault_proxy.py in front of the stand-in: S3 answers cut off mid-object,
/// throttled, or objects deleted between listing and reading, as its rules say; and a log of
/// every request. Stopped when dropped.
pub struct FaultProxy {
    pub url: String,
    port: u16,
    child: Child,
    _stdin: ChildStdin,
    _dir: tempfile::TempDir,
}

impl FaultProxy {
    pub fn start(rules: Value) -> FaultProxy {
        let upstream = standin();
        let dir = tempfile::tempdir().unwrap();
        let (rules_file, port_file) = (dir.path().join("rules.json"), dir.path().join("port"));
        std::fs::write(&rules_file, rules.to_string()).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/standin/fault_proxy.py");
        let mut child = Command::new(python())
            .args([script, &upstream.url, rules_file.to_str().unwrap(), port_file.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the fault proxy starts");
        let stdin = child.stdin.take().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file).ok().and_then(|p| p.trim().parse().ok()) {
                break port;
            }
            assert!(Instant::now() < deadline, "the fault proxy did not start within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        };
        FaultProxy { url: format!("http://127.0.0.1:{port}"), port, child, _stdin: stdin, _dir: dir }
    }

    /// Every request the proxy saw, oldest first: method, path, query, range, op, fault.
    pub fn log(&self) -> Vec<Value> {
        let (status, text) = http(self.port, "GET", "/__log__", "").unwrap();
        assert_eq!(status, 200, "{text}");
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Account {
    /// `athq` as this account, its AWS calls going through `proxy`.
    pub fn athq_via(&self, dir: &Path, proxy: &FaultProxy) -> assert_cmd::Command {
        let mut cmd = self.athq(dir);
        cmd.env("AWS_ENDPOINT_URL", &proxy.url);
        cmd
    }
}
