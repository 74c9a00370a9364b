//! `athq history`: what the work group ran and what it cost, newest first, with the library
//! query each statement came from when athq rendered it.

use jiff::Timestamp;

use crate::cli::{HistoryArgs, HistoryState};
use crate::commands::{athena, print_rows};
use crate::engine::{Column, Execution, Kind, ResultSet, State, human_bytes, library_query_of};
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;

/// `--since`: a duration back from now, or a time.
fn since(text: &str, now: Timestamp) -> anyhow::Result<Timestamp> {
    if let Some(secs) = crate::library::params::parse_duration(text) {
        return now
            .checked_sub(jiff::SignedDuration::from_secs(secs))
            .map_err(|_| InputError::new(format!("--since {text}: too far back")).into());
    }
    crate::render::window::parse_time(text).map_err(|_| {
        InputError::new(format!("--since {text}: not a duration or a time"))
            .hint("use a duration such as 12h or 7d, or a time such as 2026-11-01")
            .into()
    })
}

fn wanted(state: State, filter: &[HistoryState]) -> bool {
    filter.is_empty()
        || filter.iter().any(|f| {
            matches!(
                (f, state),
                (HistoryState::Queued, State::Queued)
                    | (HistoryState::Running, State::Running)
                    | (HistoryState::Succeeded, State::Succeeded)
                    | (HistoryState::Failed, State::Failed)
                    | (HistoryState::Cancelled, State::Cancelled)
            )
        })
}

fn columns() -> Vec<Column> {
    let c = |name: &str, kind| Column { name: name.into(), kind };
    vec![
        c("submitted", Kind::Text),
        c("state", Kind::Text),
        c("scanned_bytes", Kind::Integer),
        c("cost_usd", Kind::Float),
        c("run_time_s", Kind::Float),
        c("query", Kind::Text),
        c("sql", Kind::Text),
        c("id", Kind::Text),
    ]
}

fn row(e: &Execution) -> Vec<Option<String>> {
    let first_line = e.sql.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    vec![
        e.submitted.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()),
        Some(e.state.to_string()),
        Some(e.data_scanned.to_string()),
        Some(format!("{:.6}", e.cost_usd())),
        Some(format!("{:.1}", e.total_ms as f64 / 1000.0)),
        library_query_of(&e.sql).map(String::from),
        Some(first_line.chars().take(100).collect()),
        Some(e.id.clone()),
    ]
}

pub async fn exec(settings: &Settings, printer: &Printer, args: HistoryArgs) -> anyhow::Result<()> {
    let since = since(&args.since, settings.now)?;
    let engine = athena(settings, printer, "history").await?;
    let keep = |e: &Execution| wanted(e.state, &args.state);
    let shown = engine.history(&settings.workgroup, since, args.limit as usize, &keep).await?;
    let scanned: i64 = shown.iter().map(|e| e.data_scanned).sum();
    // A fold from 0.0: an empty f64 sum is -0.0, printed `$-0.0000`.
    let cost: f64 = shown.iter().map(|e| e.cost_usd()).fold(0.0, |a, b| a + b);
    let rows = ResultSet { columns: columns(), rows: shown.iter().map(row).collect() };
    print_rows(rows, &args.output, printer)?;
    printer.status(&format!(
        "{} execution(s) in work group {} since {} · scanned {} ({scanned} bytes) · cost ${cost:.4}{}",
        shown.len(),
        settings.workgroup,
        since.strftime("%Y-%m-%d %H:%M UTC"),
        human_bytes(scanned),
        if shown.len() >= args.limit as usize {
            format!(" · stopped at --limit {}", args.limit)
        } else {
            String::new()
        },
    ));
    Ok(())
}
