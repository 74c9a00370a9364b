//! `athq report` end to end: the page is written from real sample files on the embedded engine,
//! and from the stand-in on Athena, then opened in a real browser (Debian's headless Chromium):
//! the charts must have drawn every point and painted their canvas, and no script may have failed.
//! Chromium is installed by this test when it is missing; the browser part is skipped, saying so,
//! only when it cannot be installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::json;

use crate::local::{athq, sample};
use crate::run;

/// Chromium, installed with apt-get when missing (once per test run); `None` when it cannot be.
#[allow(clippy::print_stderr)] // a test that installs or skips says so where cargo test shows it
fn chromium() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let which = || {
                ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|n| {
                    let o = Command::new("sh").args(["-c", &format!("command -v {n}")]).output().ok()?;
                    o.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
                })
            };
            if let Some(p) = which() {
                return Some(p);
            }
            eprintln!("report tests: installing Debian's chromium with apt-get");
            let ok = Command::new("sh")
                .args([
                    "-c",
                    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
                ])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!(
                    "report tests: SKIPPING the browser checks: `apt-get install chromium` failed here"
                );
            }
            which()
        })
        .clone()
}

/// The page as the browser has it once its scripts ran, and what the browser logged.
fn open_in_browser(chrome: &Path, page: &Path, screenshot: Option<&Path>) -> (String, String) {
    let url = format!("file://{}", page.display());
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=5000",
        "--window-size=1280,2400",
    ];
    let o = Command::new(chrome)
        .args(base)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom", &url])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some(png) = screenshot {
        let s = Command::new(chrome)
            .args(base)
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url)
            .output()
            .unwrap();
        assert!(s.status.success() && png.exists(), "{}", String::from_utf8_lossy(&s.stderr));
    }
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The value of `attr` in the first tag that holds `marker`.
fn attr(dom: &str, marker: &str, attr: &str) -> Option<String> {
    let at = dom.find(marker)?;
    let start = dom[..=at].rfind('<')?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let key = format!("{attr}=\"");
    let v = tag.find(&key)? + key.len();
    Some(tag[v..v + tag[v..].find('"')?].to_string())
}

/// Checks the page in the browser: scripts ran without error, every chart drew `points` points.
#[allow(clippy::print_stderr)] // a skipped check says so
fn check_in_browser(page: &Path, charts: usize, points: usize, screenshot: Option<&Path>) {
    let Some(chrome) = chromium() else {
        eprintln!(
            "report tests: SKIPPED opening {} in a browser: no Chromium could be installed",
            page.display()
        );
        return;
    };
    let (dom, log) = open_in_browser(&chrome, page, screenshot);
    assert_eq!(attr(&dom, "<html", "data-ready").as_deref(), Some("1"), "the page's script did not finish");
    assert_eq!(attr(&dom, "<html", "data-errors"), None, "script errors");
    assert!(!log.contains("Uncaught"), "console errors: {log}");
    for j in 0..charts {
        let id = format!("id=\"chart-0-{j}\"");
        let drawn: usize =
            attr(&dom, &id, "data-points").unwrap_or_else(|| panic!("{id} did not draw")).parse().unwrap();
        assert_eq!(drawn, points, "{id}");
        let ink: f64 = attr(&dom, &id, "data-ink").unwrap().parse().unwrap();
        assert!(ink > 0.02, "{id} painted {ink} of its canvas");
    }
    assert!(dom.contains("<canvas"), "no canvas in the page");
}

#[test]
fn a_local_report_draws_three_days_and_lists_what_the_detections_found() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--scenarios", "all"]);
    let page = dir.path().join("report.html");
    let src = dir.path().to_str().unwrap();
    let o = run(athq(dir.path())
        .args(["report", "--days", "3", "--engine", "local", "--source", src, "--output"])
        .arg(&page));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("wrote ") && o.stderr.contains("(13 sections;"), "{}", o.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no address to fetch anything from.
    for fetch in ["src=\"http", "href=\"http", "src=\"//", "@import", "url(http"] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    for (section, marker) in [
        ("vertical-scan", "192.0.2.23"),
        ("horizontal-scan", "<td class=\"n\">445</td>"),
        ("beaconing", "192.0.2.77"),
        ("dns-tunnel", "192.0.2.53"),
        ("crypto-mining", "192.0.2.44"),
        ("brute-force", "192.0.2.99"),
        ("new-destinations", "192.0.2.200"),
    ] {
        let at = html.find(&format!("<section id=\"q-{section}\"")).unwrap_or_else(|| panic!("no {section}"));
        let end = at + html[at..].find("</section>").unwrap();
        assert!(html[at..end].contains(marker), "{section} lacks {marker}");
    }
    assert!(html.contains("SELECT"), "the SQL of each section is on the page");
    // The hourly buckets of three days, as the same query prints them.
    let csv = crate::local::local(dir.path(), "bytes-over-time", &[]);
    let points = csv.stdout.lines().count() - 1;
    assert!((72..=74).contains(&points), "{points}");
    let shot = std::env::var("ATHQ_BLESS")
        .ok()
        .map(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/report.png"));
    check_in_browser(&page, 4, points, shot.as_deref());
}

#[test]
fn an_athena_report_totals_what_athena_scanned_and_charged() {
    let (acct, dir) = crate::athena::setup();
    let cols = [("bucket_start", "varchar"), ("flows", "bigint"), ("total_bytes", "bigint")];
    let rows: Vec<Vec<String>> = (0..24)
        .map(|h| vec![format!("2026-11-21 {h:02}:00:00.000"), (100 + h).to_string(), (1000 * h).to_string()])
        .collect();
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    acct.queue_result(&cols, &rows);
    acct.queue_result(&[("srcaddr", "varchar"), ("rejected_flows", "bigint")], &[vec!["192.0.2.23", "1000"]]);
    acct.queue_executions(json!([
        {"states": ["RUNNING", "SUCCEEDED"], "data_scanned": 2_000_000_000_i64},
        {"states": ["RUNNING", "SUCCEEDED"], "data_scanned": 1_000_000},
    ]));
    let page = dir.path().join("athena.html");
    let o = run(acct
        .athq(dir.path())
        .args([
            "report",
            "--days",
            "1",
            "--queries",
            "bytes-over-time,reject-top",
            "-p",
            "reject-top.limit=5",
            "--output",
        ])
        .arg(&page));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Athena (work group analysts, database flowdb)"), "{html}");
    // 2 GB plus 1 MB scanned; the second query is billed its 10 MB minimum.
    let cost = (2_000_000_000.0 + 10.0 * 1024.0 * 1024.0) / 1024f64.powi(4) * 5.0;
    assert!(html.contains(&format!("1.9 GiB scanned · Athena cost ${cost:.4}")), "{cost}");
    assert!(html.contains("192.0.2.23"));
    // The parameter reached its query only.
    let sent: Vec<String> = acct.history().iter().map(|q| q["Query"].as_str().unwrap().to_string()).collect();
    assert!(sent[1].ends_with("LIMIT 5\n-- athq: reject-top v2"), "{}", sent[1]);
    check_in_browser(&page, 2, 24, None);
}

#[test]
fn a_report_parameter_no_query_has_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(athq(dir.path()).args(["report", "--engine", "local", "--source", ".", "-p", "min_flowz=3"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("-p min_flowz=3: no query in this report has a parameter `min_flowz`"),
        "{}",
        o.stderr
    );
    assert!(!dir.path().join("athq-report.html").exists());
}

#[test]
fn a_report_about_one_address_holds_its_peers_its_traffic_the_detections_naming_it_and_ad_hoc_sections() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--scenarios", "all"]);
    let extra = dir.path().join("extra.sql");
    std::fs::write(
        &extra,
        "-- what the scanner sent, per port\nSELECT dstport, COUNT(*) AS flows FROM vpc_flow_logs WHERE srcaddr = '192.0.2.23' GROUP BY dstport ORDER BY flows DESC LIMIT 5;\n",
    )
    .unwrap();
    let page = dir.path().join("incident.html");
    let src = dir.path().to_str().unwrap();
    let o = run(athq(dir.path())
        .args(["report", "--days", "3", "--engine", "local", "--source", src, "--ip", "192.0.2.23"])
        .args(["--sql", &format!("scanner-ports={}", extra.display()), "--output"])
        .arg(&page));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<title>Investigation of 192.0.2.23</title>"), "{}", &html[..500]);
    let section = |name: &str| {
        let at =
            html.find(&format!("<section id=\"q-{name}\"")).unwrap_or_else(|| panic!("no section {name}"));
        html[at..at + html[at..].find("</section>").unwrap()].to_string()
    };
    // Its peers and its traffic over time, in that order, first.
    let over_time = html.find("<section id=\"q-peer-over-time\"").unwrap();
    assert!(over_time < html.find("<section id=\"q-peer\"").unwrap());
    assert!(
        section("peer").contains("bytes_sent") && section("peer").contains("10.20."),
        "{}",
        section("peer")
    );
    // The detections keep the rows that name it: the vertical scan it ran, not the others' finds.
    assert!(section("vertical-scan").contains("192.0.2.23"));
    assert!(section("vertical-scan").contains("Only the rows that name 192.0.2.23."));
    assert!(!section("beaconing").contains("192.0.2.77"), "{}", section("beaconing"));
    // The ad-hoc section, named, with where it came from.
    let adhoc = section("scanner-ports");
    assert!(adhoc.contains("athq report --sql scanner-ports="), "{adhoc}");
    assert!(adhoc.contains("<td class=\"n\">"), "{adhoc}");
    if let Some(chrome) = chromium() {
        let (dom, log) = open_in_browser(&chrome, &page, None);
        assert_eq!(
            attr(&dom, "<html", "data-ready").as_deref(),
            Some("1"),
            "the page's script did not finish"
        );
        assert_eq!(attr(&dom, "<html", "data-errors"), None, "script errors");
        assert!(!log.contains("Uncaught"), "console errors: {log}");
        for name in ["peer-over-time", "peer", "vertical-scan", "scanner-ports"] {
            assert!(dom.contains(&format!("id=\"q-{name}\"")), "{name} is not on the page the browser drew");
        }
    }
    // A bad address or ad-hoc file is the user's to fix, before anything runs.
    let o = run(athq(dir.path()).args(["report", "--engine", "local", "--source", src, "--ip", "192.0.2"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--ip 192.0.2: not an IP address"), "{}", o.stderr);
    let o = run(athq(dir.path()).args([
        "report",
        "--engine",
        "local",
        "--source",
        src,
        "--sql",
        "x=missing.sql",
    ]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--sql x=missing.sql: cannot read missing.sql"), "{}", o.stderr);
}

#[test]
fn a_report_to_send_names_no_local_folder_warns_once_marks_partial_buckets_and_reads_the_source_once() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "20000"]);
    // One corrupt line, which every section's reading meets.
    let some = crate::local::walk(dir.path())
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".log.gz"))
        .unwrap();
    std::fs::write(
        some.parent().unwrap().join("extra.log"),
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
         2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 many 10 1795300000 1795300060 ACCEPT OK\n",
    )
    .unwrap();
    let source = dir.path().join("AWSLogs");
    let on_disk: u64 = crate::local::walk(&source).iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    let page = dir.path().join("r.html");
    let o = run(athq(dir.path())
        .args([
            "report",
            "--days",
            "3",
            "--engine",
            "local",
            "--source",
            source.to_str().unwrap(),
            "--output",
        ])
        .arg(&page));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    // The source by its last folders: no local path.
    assert!(!html.contains(dir.path().to_str().unwrap()), "a local path is on the page");
    let last = dir.path().file_name().unwrap().to_string_lossy().to_string();
    assert!(html.contains(&format!("embedded engine over …/{last}/AWSLogs")), "{}", &html[..1500]);
    // One warning block for the page, not one a section.
    assert_eq!(html.matches("1 corrupt line(s) skipped").count(), 1);
    assert!(html.contains("<div class=\"warnings\">"));
    // The window starts and ends inside hours: bytes-over-time's first and last buckets are partial.
    let at = html.find("<section id=\"q-bytes-over-time\"").unwrap();
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    assert_eq!(section.matches("(partial)</span>").count(), 2, "{section}");
    assert!(section.contains("<p class=\"partial\">"));
    // Byte counts read as sizes, exact on hover; descriptions from Markdown.
    assert!(html.contains(" bytes\">") && html.contains("data-v=\""));
    assert!(html.contains("<div class=\"desc\"><p>") && html.contains("<code>"));
    assert!(!html.contains("`sources`"), "Markdown backticks shown as written");
    // The source read once for all sections: what the page says was read is the source's size.
    let read = o.stderr.split("sections; ").nth(1).and_then(|r| r.split(" read").next()).unwrap();
    let read = crate::local::bytes_of(read);
    assert!(
        read <= on_disk as f64 * 1.05 && read >= on_disk as f64 * 0.5,
        "read {read} of {on_disk} on disk: {}",
        o.stderr
    );
    assert!(html.contains("from memory: the source was read once"));
    let points = crate::local::local(dir.path(), "bytes-over-time", &[]).stdout.lines().count() - 1;
    check_in_browser(&page, 4, points, None);
}
