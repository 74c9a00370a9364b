//! `athq report`: one self-contained HTML page from a set of library queries over one window.
//! The page needs no network: uPlot (vendored from npm, `assets/uplot/`) and the data are inline.
//! Tables are rendered here, escaped, so they read without JavaScript; the script only draws the
//! charts and sorts tables. Each chart records what it drew on its element (`data-points`,
//! `data-ink`: the share of the canvas painted) and script errors on `<html data-errors>`, so a
//! browser test can check the drawing through the DOM.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::json;

use crate::engine::{Answer, Kind, human_bytes};
use crate::output::chart::time_series;
use crate::render::TimeWindow;

const UPLOT_JS: &str = include_str!("../../assets/uplot/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/uplot/uPlot.min.css");
const UPLOT_VERSION: &str = "1.6.32";
const SCRIPT: &str = include_str!("report.js");
const STYLE: &str = include_str!("report.css");

/// Rows a table shows; the rest are counted, not shown (the charts use every row).
pub const TABLE_ROWS: usize = 1000;

/// One query's part of the report.
pub struct Section {
    /// The section's name: its query's, or an ad-hoc section's.
    pub query: String,
    /// How to get the same rows from the command line: `athq run reject-top`, or where ad-hoc SQL
    /// came from.
    pub command: String,
    pub title: String,
    pub description: String,
    pub sql: String,
    /// The answer, or why the query did not run.
    pub outcome: Result<Answer, String>,
}

pub struct Report {
    pub title: String,
    pub window: TimeWindow,
    /// Where the queries ran: `Athena (work group analysts, database flowdb)`, `embedded engine over ./logs`.
    pub engine: String,
    pub generated: Timestamp,
    /// Things the reader should know (defaults that stood in for settings).
    pub notes: Vec<String>,
    /// Bytes read before the sections ran: the source, read once for all of them.
    pub read_before: i64,
    pub sections: Vec<Section>,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element: no `</script>` or `<!--` can end it early.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn stamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

impl Report {
    /// Bytes scanned (Athena) or read (embedded engine) by every section, and Athena's cost.
    pub fn totals(&self) -> (i64, f64) {
        self.sections
            .iter()
            .filter_map(|s| s.outcome.as_ref().ok())
            .fold((self.read_before, 0.0), |(b, c), a| (b + a.footer.scanned, c + a.footer.cost_usd))
    }

    pub fn html(&self) -> String {
        let (scanned, cost) = self.totals();
        let mut charts = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut body = String::new();
        let mut toc = String::new();
        for (i, s) in self.sections.iter().enumerate() {
            let id = format!("q-{}", s.query);
            let count = match &s.outcome {
                Ok(a) if a.rows.rows.len() == 1 => "1 row".into(),
                Ok(a) => format!("{} rows", a.rows.rows.len()),
                Err(_) => "did not run".into(),
            };
            let _ = write!(
                toc,
                "<li><a href=\"#{}\">{}</a> <span class=\"count\">{}</span></li>",
                esc(&id),
                esc(&s.title),
                count
            );
            let _ = write!(
                body,
                "<section id=\"{}\"><h2>{}</h2><p class=\"query\"><code>{}</code></p><div class=\"desc\">{}</div>",
                esc(&id),
                esc(&s.title),
                esc(&s.command),
                markdown(s.description.trim())
            );
            match &s.outcome {
                Err(e) => {
                    let _ = write!(body, "<p class=\"error\">{}</p>", esc(e));
                }
                Ok(a) => {
                    // The footer's first line is the section's; its warnings are the page's, once.
                    let mut lines = a.footer.text.lines();
                    let _ = write!(body, "<p class=\"meta\">{}</p>", esc(lines.next().unwrap_or_default()));
                    for w in lines.map(str::trim).filter(|l| !l.is_empty()) {
                        if !warnings.iter().any(|seen| seen == w) {
                            warnings.push(w.to_string());
                        }
                    }
                    let partial = partial_buckets(a, &self.window);
                    if let Some(chart) = chart(i, a, &partial) {
                        for (j, series) in chart["series"].as_array().into_iter().flatten().enumerate() {
                            let _ = write!(
                                body,
                                "<div class=\"chart\" id=\"chart-{i}-{j}\" data-series=\"{}\"></div>",
                                esc(series["name"].as_str().unwrap_or_default())
                            );
                        }
                        charts.push(chart);
                        if partial.iter().any(|p| p.is_some()) {
                            body.push_str(
                                "<p class=\"partial\">The window starts or ends inside the first or last bucket: \
                                 those buckets are partial, left out of the chart (a gap, not a drop) and \
                                 marked in the table.</p>",
                            );
                        }
                        // The charts show the series; its table is there on demand.
                        let _ = write!(body, "<details><summary>Table ({count})</summary>");
                        table(&mut body, a, &partial);
                        body.push_str("</details>");
                    } else {
                        table(&mut body, a, &[None, None]);
                    }
                }
            }
            let _ =
                write!(body, "<details><summary>SQL</summary><pre>{}</pre></details></section>", esc(&s.sql));
        }
        let mut notes: String =
            self.notes.iter().map(|n| format!("<p class=\"note\">{}</p>", esc(n))).collect();
        if !warnings.is_empty() {
            notes.push_str("<div class=\"warnings\">");
            for w in &warnings {
                let _ = write!(notes, "<p>{}</p>", esc(w));
            }
            notes.push_str("</div>");
        }
        let cost = if cost > 0.0 { format!(" · Athena cost ${cost:.4}") } else { String::new() };
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"athq {version}\"><title>{title}</title>\
             <script>{guard}</script><style>{UPLOT_CSS}\n{STYLE}</style></head><body>\
             <header><h1>{title}</h1><p class=\"window\">{from} to {to} · {engine} · {scanned} {verb}{cost}</p>\
             <p class=\"generated\">Generated {generated} by athq {version}; charts by uPlot {UPLOT_VERSION} (MIT).</p>{notes}\
             <nav><ol>{toc}</ol></nav></header><main>{body}</main>\
             <script type=\"application/json\" id=\"athq-charts\">{data}</script>\
             <script>{UPLOT_JS}</script><script>{SCRIPT}</script></body></html>\n",
            version = env!("CARGO_PKG_VERSION"),
            title = esc(&self.title),
            guard = ERROR_GUARD,
            from = stamp(self.window.from),
            to = stamp(self.window.to),
            engine = esc(&self.engine),
            scanned = human_bytes(scanned),
            verb = if self.engine.starts_with("Athena") { "scanned" } else { "read" },
            generated = stamp(self.generated),
            data = script_json(&json!(charts)),
        )
    }
}

/// Records script errors on the page, before anything else runs.
const ERROR_GUARD: &str = "window.athqErrors=[];window.addEventListener('error',function(e){\
    athqErrors.push(String(e.message));document.documentElement.setAttribute('data-errors',athqErrors.join(' | '));});";

/// A chart for a time series: when the result's first column is a time (a bucket), one chart per
/// number column. Detections list times too (first seen), but a row there is not a point in time.
/// A partial bucket's values are left out (a gap): drawn, they would look like a drop.
fn chart(index: usize, a: &Answer, partial: &[Option<usize>; 2]) -> Option<serde_json::Value> {
    let ts = time_series(&a.rows.columns, &a.rows.rows, &[]).ok()?;
    // One bucket is no line to follow: its table says it.
    if ts.time_column != 0 || ts.times.len() < 2 {
        return None;
    }
    let times: Vec<i64> = ts.times.iter().map(|t| t.as_second()).collect();
    let cut: Vec<i64> = partial.iter().flatten().filter_map(|&r| bucket_second(a, r)).collect();
    let series: Vec<serde_json::Value> = ts
        .series
        .iter()
        .map(|(name, values)| {
            let values: Vec<Option<f64>> =
                values.iter().zip(&times).map(|(v, t)| if cut.contains(t) { None } else { *v }).collect();
            json!({"name": name, "bytes": name.contains("bytes"), "values": values})
        })
        .collect();
    Some(json!({"index": index, "times": times, "series": series}))
}

/// The time (epoch seconds) in row `r`'s first column.
fn bucket_second(a: &Answer, r: usize) -> Option<i64> {
    crate::output::chart::parse_time(a.rows.rows.get(r)?.first()?.as_deref()?).map(|t| t.as_second())
}

/// The rows of the first and last bucket of a time series when the window starts or ends inside
/// them: a bucket as wide as the distance between the first two (the narrowest gap between any
/// two), starting before the window or ending after it.
fn partial_buckets(a: &Answer, window: &TimeWindow) -> [Option<usize>; 2] {
    let Ok(ts) = time_series(&a.rows.columns, &a.rows.rows, &[]) else { return [None, None] };
    if ts.time_column != 0 || ts.times.len() < 2 {
        return [None, None];
    }
    let secs: Vec<i64> = ts.times.iter().map(|t| t.as_second()).collect();
    let Some(width) = secs.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0).min() else {
        return [None, None];
    };
    // Rows are in time order in a bucketed result; find them by their time, to be sure.
    let row_of = |sec: i64| (0..a.rows.rows.len()).find(|&r| bucket_second(a, r) == Some(sec));
    let (first, last) = (secs[0], secs[secs.len() - 1]);
    [
        (first < window.from.as_second()).then(|| row_of(first)).flatten(),
        (last + width > window.to.as_second()).then(|| row_of(last)).flatten(),
    ]
}

/// A query's description, from its Markdown: paragraphs, and `code` spans.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let escaped = esc(&para.split_whitespace().collect::<Vec<_>>().join(" "));
        let mut html = String::new();
        for (i, piece) in escaped.split('`').enumerate() {
            // Odd pieces sit between backticks; an unpaired last one is left as written.
            let paired = i % 2 == 1 && escaped.matches('`').count() > i;
            match paired {
                true => {
                    let _ = write!(html, "<code>{piece}</code>");
                }
                false if i % 2 == 1 => {
                    let _ = write!(html, "`{piece}");
                }
                false => html.push_str(piece),
            }
        }
        let _ = write!(out, "<p>{html}</p>");
    }
    out
}

/// The rows as a sortable table; byte counts human-readable, the exact number on hover (and
/// sorted by it); partial buckets marked.
fn table(body: &mut String, a: &Answer, partial: &[Option<usize>; 2]) {
    let rows = &a.rows.rows;
    if rows.is_empty() {
        body.push_str("<p class=\"empty\">No rows: nothing matched in this window.</p>");
        return;
    }
    body.push_str("<table class=\"sortable\"><thead><tr>");
    for c in &a.rows.columns {
        let num = matches!(c.kind, Kind::Integer | Kind::Float);
        let _ = write!(body, "<th{}>{}</th>", if num { " data-num" } else { "" }, esc(&c.name));
    }
    body.push_str("</tr></thead><tbody>");
    for (r, row) in rows.iter().enumerate().take(TABLE_ROWS) {
        body.push_str("<tr>");
        for (i, v) in row.iter().enumerate() {
            let col = a.rows.columns.get(i);
            let num = col.is_some_and(|c| matches!(c.kind, Kind::Integer | Kind::Float));
            let bytes =
                col.is_some_and(|c| c.kind == Kind::Integer && c.name.to_ascii_lowercase().contains("bytes"));
            match v {
                Some(v) if bytes && v.parse::<i64>().is_ok() => {
                    let n: i64 = v.parse().unwrap_or_default();
                    let _ = write!(
                        body,
                        "<td class=\"n\" data-v=\"{n}\" title=\"{n} bytes\">{}</td>",
                        human_bytes(n)
                    );
                }
                Some(v) if i == 0 && partial.contains(&Some(r)) => {
                    let _ = write!(body, "<td>{} <span class=\"partial\">(partial)</span></td>", esc(v));
                }
                Some(v) => {
                    let _ = write!(body, "<td{}>{}</td>", if num { " class=\"n\"" } else { "" }, esc(v));
                }
                None => body.push_str("<td class=\"null\">NULL</td>"),
            }
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
    if rows.len() > TABLE_ROWS {
        let _ = write!(body, "<p class=\"more\">The first {TABLE_ROWS} of {} rows.</p>", rows.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Column, Footer, ResultSet};

    fn answer(columns: &[(&str, Kind)], rows: &[&[&str]]) -> Answer {
        Answer {
            rows: ResultSet {
                columns: columns.iter().map(|(n, k)| Column { name: n.to_string(), kind: *k }).collect(),
                rows: rows.iter().map(|r| r.iter().map(|v| Some(v.to_string())).collect()).collect(),
            },
            footer: Footer { text: "local · 1 file(s) read".into(), scanned: 2048, cost_usd: 0.0 },
        }
    }

    fn report(sections: Vec<Section>) -> Report {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        Report {
            title: "Flow <logs>".into(),
            window: TimeWindow { from: t("2026-11-20T00:00:00Z"), to: t("2026-11-21T00:00:00Z") },
            engine: "embedded engine over ./logs".into(),
            generated: t("2026-11-21T00:05:00Z"),
            notes: vec![],
            read_before: 0,
            sections,
        }
    }

    #[test]
    fn values_are_escaped_and_data_cannot_close_the_script() {
        let a = answer(&[("srcaddr", Kind::Text)], &[&["<script>alert(1)</script>"]]);
        let html = report(vec![Section {
            query: "q".into(),
            command: "athq run q".into(),
            title: "T & U".into(),
            description: "d".into(),
            sql: "SELECT '</script>'".into(),
            outcome: Ok(a),
        }])
        .html();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<title>Flow &lt;logs&gt;</title>"));
        assert!(html.contains("T &amp; U"));
        assert_eq!(html.matches("</script>").count(), 4, "only athq's own scripts close");
        assert!(script_json(&json!(["</script><!--"])).find('<').is_none());
    }

    #[test]
    fn only_a_time_bucket_first_makes_a_chart() {
        let series = answer(
            &[("bucket_start", Kind::Text), ("flows", Kind::Integer), ("total_bytes", Kind::Integer)],
            &[&["2026-11-20 01:00:00.000", "5", "100"], &["2026-11-20 00:00:00.000", "3", "50"]],
        );
        let c = chart(0, &series, &[None, None]).unwrap();
        assert_eq!(c["times"], json!([1795132800, 1795136400]));
        assert_eq!(c["series"][1], json!({"name": "total_bytes", "bytes": true, "values": [50.0, 100.0]}));
        let listing = answer(
            &[("srcaddr", Kind::Text), ("first_seen", Kind::Text), ("flows", Kind::Integer)],
            &[&["10.0.0.1", "2026-11-20 01:00:00.000", "5"]],
        );
        assert!(chart(0, &listing, &[None, None]).is_none());
    }

    #[test]
    fn partial_first_and_last_buckets_are_marked_and_left_out_of_the_chart() {
        // Hourly buckets; the window runs from 00:30 to 03:30: the first and last are partial.
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let window = TimeWindow { from: t("2026-11-20T00:30:00Z"), to: t("2026-11-20T03:30:00Z") };
        let series = answer(
            &[("bucket_start", Kind::Text), ("flows", Kind::Integer)],
            &[
                &["2026-11-20 00:00:00.000", "800"],
                &["2026-11-20 01:00:00.000", "1650"],
                &["2026-11-20 02:00:00.000", "1640"],
                &["2026-11-20 03:00:00.000", "230"],
            ],
        );
        let partial = partial_buckets(&series, &window);
        assert_eq!(partial, [Some(0), Some(3)]);
        let c = chart(0, &series, &partial).unwrap();
        assert_eq!(c["series"][0]["values"], json!([null, 1650.0, 1640.0, null]));
        let mut body = String::new();
        table(&mut body, &series, &partial);
        assert_eq!(body.matches("(partial)").count(), 2, "{body}");
        // A window on bucket edges has none.
        let whole = TimeWindow { from: t("2026-11-20T00:00:00Z"), to: t("2026-11-20T04:00:00Z") };
        assert_eq!(partial_buckets(&series, &whole), [None, None]);
    }

    #[test]
    fn byte_counts_read_as_sizes_with_the_exact_number_on_hover() {
        let a =
            answer(&[("srcaddr", Kind::Text), ("total_bytes", Kind::Integer)], &[&["10.0.0.1", "3722189"]]);
        let mut body = String::new();
        table(&mut body, &a, &[None, None]);
        assert!(
            body.contains("<td class=\"n\" data-v=\"3722189\" title=\"3722189 bytes\">3.5 MiB</td>"),
            "{body}"
        );
    }

    #[test]
    fn descriptions_render_their_markdown() {
        assert_eq!(
            markdown("Counts `flows` <per> source.\n\nSecond `para"),
            "<p>Counts <code>flows</code> &lt;per&gt; source.</p><p>Second `para</p>"
        );
    }

    #[test]
    fn warnings_are_the_pages_once() {
        let with_warning = || {
            let mut a = answer(&[("x", Kind::Integer)], &[&["1"]]);
            a.footer.text = "local · 1 file(s) read\nwarning: 3 corrupt line(s) skipped".into();
            a
        };
        let section = |q: &str| Section {
            query: q.into(),
            command: format!("athq run {q}"),
            title: q.into(),
            description: String::new(),
            sql: String::new(),
            outcome: Ok(with_warning()),
        };
        let html = report(vec![section("a"), section("b")]).html();
        assert_eq!(html.matches("3 corrupt line(s) skipped").count(), 1, "{html}");
        assert!(html.contains("<div class=\"warnings\"><p>warning: 3 corrupt line(s) skipped</p></div>"));
    }

    #[test]
    fn totals_and_failed_sections() {
        let ok = Section {
            query: "a".into(),
            command: "athq run a".into(),
            title: "A".into(),
            description: String::new(),
            sql: String::new(),
            outcome: Ok(answer(&[("x", Kind::Integer)], &[])),
        };
        let failed = Section {
            query: "b".into(),
            command: "athq run b".into(),
            title: "B".into(),
            description: String::new(),
            sql: String::new(),
            outcome: Err("needs `instance-id`".into()),
        };
        let r = report(vec![ok, failed]);
        assert_eq!(r.totals(), (2048, 0.0));
        let html = r.html();
        assert!(html.contains("<p class=\"error\">needs `instance-id`</p>"));
        assert!(html.contains("No rows: nothing matched"));
        assert!(html.contains("2.0 KiB read"));
    }
}
