//! Bad input and interruptions, through the built binary: unreadable log files, crafted Parquet,
//! empty results in every format, IPv4-mapped addresses, signals and timeouts on the embedded
//! engine, and a library with a broken file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::local::{athq, bytes_by_pair_sql, duck, local, python, sample};
use crate::run;

pub fn files_under(p: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap().path();
        if e.is_dir() { out.extend(files_under(&e)) } else { out.push(e) }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    python(
        "import shutil,sys; shutil.copytree(sys.argv[1], sys.argv[2], dirs_exist_ok=True)",
        &[from.to_str().unwrap(), to.to_str().unwrap()],
    );
}

#[test]
fn unreadable_text_files_are_skipped_named_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &[]);
    let files = files_under(&dir.path().join("AWSLogs"));
    // The reference: the same tree without the file we are about to truncate.
    let victim = files[files.len() / 2].clone();
    let clean = tempfile::tempdir().unwrap();
    copy_tree(dir.path(), clean.path());
    std::fs::remove_file(clean.path().join(victim.strip_prefix(dir.path()).unwrap())).unwrap();

    let bytes = std::fs::read(&victim).unwrap();
    std::fs::write(&victim, &bytes[..bytes.len() / 2]).unwrap();
    let folder = victim.parent().unwrap();
    std::fs::write(folder.join("empty.log.gz"), b"").unwrap();
    std::fs::write(folder.join("garbage.log"), b"\x00\x01binary junk\nmore\n").unwrap();

    let o = local(dir.path(), "bytes-by-pair", &["-p", "limit=100000"]);
    assert_eq!(o.stdout, duck("text", clean.path(), &bytes_by_pair_sql()));
    let name = victim.file_name().unwrap().to_str().unwrap();
    assert!(o.stderr.contains(", 3 unreadable · "), "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("warning: skipped unreadable file {}", victim.display())),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("empty.log.gz: the file is empty"), "{}", o.stderr);
    assert!(o.stderr.contains("garbage.log: the first line is not a flow-log header (no known field name): `\\0\\u{1}binary junk`"), "{}", o.stderr);
    assert!(o.stderr.contains("hint: --strict makes an unreadable file an error"), "{}", o.stderr);

    let src = dir.path().to_str().unwrap();
    let strict = run(athq(dir.path())
        .args(["run", "bytes-by-pair", "--engine", "local", "--days", "3"])
        .args(["--source", src, "--strict"]));
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains("cannot read "), "{}", strict.stderr);
    assert!(strict.stderr.contains(name) || strict.stderr.contains(".log"), "{}", strict.stderr);
}

/// `PAR1`, 5000 zero bytes, a footer length of 2^31, `PAR1`: it once crashed the Parquet reader.
fn crafted_parquet() -> Vec<u8> {
    let mut b = b"PAR1".to_vec();
    b.extend(vec![0u8; 5000]);
    b.extend((1u32 << 31).to_le_bytes());
    b.extend(b"PAR1");
    b
}

#[test]
fn a_crafted_or_corrupt_parquet_file_is_skipped_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--format", "parquet", "--seed", "5"]);
    let clean = tempfile::tempdir().unwrap();
    copy_tree(dir.path(), clean.path());
    let folder = files_under(&dir.path().join("AWSLogs"))[0].parent().unwrap().to_path_buf();
    std::fs::write(folder.join("crafted.parquet"), crafted_parquet()).unwrap();
    std::fs::write(folder.join("cut.parquet"), b"PAR1 not really").unwrap();

    let o = local(dir.path(), "bytes-by-pair", &["-p", "limit=100000"]);
    assert_eq!(o.stdout, duck("parquet", clean.path(), &bytes_by_pair_sql()));
    assert!(
        o.stderr.contains("crafted.parquet: corrupt Parquet footer: its metadata length 2147483648 exceeds"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("cut.parquet: not a Parquet file"), "{}", o.stderr);

    // Alone, the crafted file is an input error naming it, never a panic (exit 101).
    let only = tempfile::tempdir().unwrap();
    std::fs::write(only.path().join("crafted.parquet"), crafted_parquet()).unwrap();
    let o = run(athq(only.path()).args(["run", "reject-top", "--engine", "local", "--source", "."]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("none of the window's 1 flow-log file(s) in . could be read"), "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

#[test]
fn empty_results_print_their_header_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000"]);
    let src = dir.path().to_str().unwrap();
    let sql =
        "SELECT srcaddr, SUM(bytes) AS total FROM vpc_flow_logs WHERE srcaddr = 'none' GROUP BY srcaddr";
    let empty = |format: &str| {
        let o = run(athq(dir.path())
            .args(["exec", "--engine", "local", "--source", src, "--sql", sql, "--format", format]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        // The footer says what was read, so "nothing matched" differs from "nothing was read".
        assert!(o.stderr.contains("file(s) read") && o.stderr.contains("2000 records"), "{}", o.stderr);
        o.stdout
    };
    let table = empty("table");
    assert!(table.contains("srcaddr") && table.contains("total") && table.ends_with("(0 rows)\n"), "{table}");
    assert_eq!(empty("csv"), "srcaddr,total\n");
    assert_eq!(empty("json"), "[]\n");
    assert_eq!(empty("ndjson"), "");
    assert_eq!(empty("markdown"), "| srcaddr | total |\n| --- | ---: |\n");
    let out = dir.path().join("f.csv");
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--source", src, "--sql", sql, "--format", "csv"])
        .args(["--output", out.to_str().unwrap()]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(out).unwrap(), "srcaddr,total\n");
}

#[test]
fn an_ipv4_mapped_address_matches_as_ipv4() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "5000"]);
    let top = local(dir.path(), "top-talkers", &["-p", "limit=1"]).stdout;
    let ip = top.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    assert!(ip.contains('.'), "{top}");
    let plain = local(dir.path(), "find-ip", &["-p", &format!("ip={ip}")]).stdout;
    let mapped = local(dir.path(), "find-ip", &["-p", &format!("ip=::ffff:{ip}")]).stdout;
    assert!(plain.lines().count() > 1, "{plain}");
    assert_eq!(plain, mapped);
}

/// A source whose one file never finishes: a pipe with a header line and then nothing.
fn stalled_source(dir: &Path) -> PathBuf {
    let fifo = dir.join("stalled.log");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let path = fifo.clone();
    std::thread::spawn(move || {
        use std::io::Write;
        let mut w = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let _ = w.write_all(b"version srcaddr dstaddr bytes start end action log-status\n");
        std::thread::sleep(Duration::from_secs(60));
    });
    fifo
}

#[test]
fn the_embedded_engine_stops_on_a_signal_within_a_second() {
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        let fifo = stalled_source(dir.path());
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
            .current_dir(dir.path())
            .args(["exec", "--engine", "local", "--sql", "SELECT COUNT(*) FROM vpc_flow_logs", "--source"])
            .arg(&fifo)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        let sent = Instant::now();
        let pid = child.id().to_string();
        assert!(
            std::process::Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .unwrap()
                .success()
        );
        let out = child.wait_with_output().unwrap();
        assert!(sent.elapsed() < Duration::from_secs(1), "took {:?}", sent.elapsed());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains(&format!("error: interrupted by SIG{signal}")), "{stderr}");
    }
}

#[test]
fn a_signal_stops_a_statement_busy_planning_within_a_second() {
    // Planning a long chain of arithmetic keeps the one runtime worker busy for a minute and more
    // (it is planned as written); the signal must not wait for it, and no partial output remains.
    let dir = tempfile::tempdir().unwrap();
    let sql = dir.path().join("long.sql");
    std::fs::write(&sql, format!("SELECT {} AS n", vec!["1"; 3000].join("+"))).unwrap();
    std::fs::write(dir.path().join("a.log"), "version srcaddr bytes start end\n2 10.0.0.1 5 1 2\n").unwrap();
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let out = dir.path().join("out.csv");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
            .current_dir(dir.path())
            .args(["exec", "--engine", "local", "--threads", "1", "--source", "a.log", "--file", "long.sql"])
            .arg("--output")
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(2500));
        let sent = Instant::now();
        let mut kill = std::process::Command::new("kill");
        kill.args([&format!("-{signal}"), &child.id().to_string()]);
        assert!(kill.status().unwrap().success());
        let done = child.wait_with_output().unwrap();
        assert!(sent.elapsed() < Duration::from_millis(1500), "took {:?}", sent.elapsed());
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains(&format!("error: interrupted by SIG{signal}")), "{stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.contains("out.csv"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

#[test]
fn the_embedded_engine_honours_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = stalled_source(dir.path());
    let started = Instant::now();
    let o = run(athq(dir.path())
        .args(["exec", "--engine", "local", "--timeout", "1", "--sql", "SELECT 1 FROM vpc_flow_logs"])
        .args(["--source", fifo.to_str().unwrap()]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("error: timed out after 1 s"), "{}", o.stderr);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn one_broken_query_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "2000"]);
    let lib = dir.path().join("queries");
    std::fs::create_dir(&lib).unwrap();
    std::fs::write(
        lib.join("mine.sql"),
        "/*\nname: mine\nversion: 1\ntitle: Mine\nparams:\n  limit: {type: int, default: 5\nfields: [srcaddr]\n*/\nSELECT 1\n",
    )
    .unwrap();
    let with_lib =
        |args: &[&str]| run(athq(dir.path()).args(args).args(["--library", lib.to_str().unwrap()]));
    let o = with_lib(&["list"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.lines().any(|l| l.starts_with("mine") && l.contains("BROKEN: ")), "{}", o.stdout);
    let o = with_lib(&["run", "reject-top", "--engine", "local", "--source", ".", "--days", "3"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("warning: query `mine` is left out: "), "{}", o.stderr);
    assert!(o.stderr.contains("mine.sql:6: did not find expected ',' or '}'"), "{}", o.stderr);
    let o = with_lib(&["run", "mine", "--engine", "local", "--source", "."]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("hint: fix the query file"), "{}", o.stderr);
    let o = with_lib(&["check"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("problem: ") && o.stderr.contains("mine.sql:6"), "{}", o.stderr);
    let o = run(athq(dir.path()).args(["check"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("queries load and render"), "{}", o.stderr);
}

/// Busy loops on every core, as another CPU-heavy process would be: killed when dropped.
struct Load(Vec<std::process::Child>);

impl Load {
    fn start(n: usize) -> Load {
        let spin = || {
            std::process::Command::new(crate::support::python())
                .args(["-c", "while True: pass"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        Load((0..n).map(|_| spin()).collect())
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A self-join on a column of few values: minutes of CPU-bound joining in a debug build.
fn self_join(dir: &Path, threads: &str, extra: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
        .current_dir(dir)
        .args(["exec", "--engine", "local", "--source", ".", "--threads", threads, "--output", "out.csv"])
        .args(["--sql", "SELECT a.srcaddr, COUNT(*) AS n FROM vpc_flow_logs a JOIN vpc_flow_logs b ON a.protocol = b.protocol GROUP BY a.srcaddr ORDER BY n DESC"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_cpu_bound_join_stops_within_a_second_under_load_on_each_signal_and_its_timeout() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "40000", "--days", "1"]);
    let _load = Load::start(2);
    for threads in ["1", "2"] {
        for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
            let child = self_join(dir.path(), threads, &[]);
            std::thread::sleep(Duration::from_millis(2500));
            let sent = Instant::now();
            let mut kill = std::process::Command::new("kill");
            kill.args([&format!("-{signal}"), &child.id().to_string()]);
            assert!(kill.status().unwrap().success());
            let out = child.wait_with_output().unwrap();
            let took = sent.elapsed();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "SIG{signal}, --threads {threads}: {stderr}");
            assert!(took < Duration::from_secs(1), "SIG{signal}, --threads {threads}: took {took:?}");
            assert!(stderr.contains(&format!("error: interrupted by SIG{signal}")), "{stderr}");
        }
        // --timeout: the clock starts with the statement, after the process has started and opened
        // the source; a statement that ends at once under the same load shows how long that takes.
        let started = Instant::now();
        let quick = std::process::Command::new(assert_cmd::cargo::cargo_bin("athq"))
            .current_dir(dir.path())
            .args(["exec", "--engine", "local", "--source", ".", "--threads", threads])
            .args(["--sql", "SELECT srcaddr FROM vpc_flow_logs LIMIT 1"])
            .output()
            .unwrap();
        assert!(quick.status.success(), "{}", String::from_utf8_lossy(&quick.stderr));
        let overhead = started.elapsed();
        let started = Instant::now();
        let child = self_join(dir.path(), threads, &["--timeout", "2"]);
        let out = child.wait_with_output().unwrap();
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "--timeout, --threads {threads}: {stderr}");
        assert!(stderr.contains("timed out after 2 s"), "{stderr}");
        assert!(
            took < overhead + Duration::from_secs(3),
            "--timeout 2, --threads {threads}: took {took:?}, {overhead:?} of it starting"
        );
        assert!(!dir.path().join("out.csv").exists(), "a stopped statement leaves no output");
    }
}
