//! `--estimate` and `--max-scan` on the commands that start Athena statements (`run`, `exec`,
//! `report`, `sql`, `table convert`): the limit goes into the settings the engine is opened
//! with (the engine checks it where each statement starts, `engine::budget`); `--estimate` asks
//! the engine what statements would scan and prints that instead of running them.

use crate::cli::{CostArgs, MaxScan, OutputArgs};
use crate::commands::print_rows;
use crate::engine::estimate::Cost;
use crate::engine::{Column, Engine, Kind, Planned, ResultSet};
use crate::error::InputError;
use crate::output::Printer;
use crate::output::results::OutputFormat;
use crate::settings::{EngineKind, Settings};

/// The settings with `--max-scan` applied; `--estimate` and `--max-scan` are refused on the
/// embedded engine, before anything is opened.
pub fn apply(settings: &Settings, args: &CostArgs) -> anyhow::Result<Settings> {
    if settings.engine == EngineKind::Local && (args.estimate || args.max_scan.is_some()) {
        return Err(InputError::new(
            "--estimate and --max-scan are for Athena: the embedded engine costs nothing",
        )
        .hint("leave out --engine local to estimate what Athena would scan")
        .into());
    }
    let mut settings = settings.clone();
    match args.max_scan {
        Some(MaxScan::Bytes(n)) => settings.max_scan = Some(n),
        Some(MaxScan::Unlimited) => settings.max_scan = None,
        None => {}
    }
    Ok(settings)
}

/// A statement's estimate as a row: bytes, objects, cost, and where it was listed.
fn row(cost: &Cost) -> Vec<Option<String>> {
    match cost {
        Cost::Reads(e) => vec![
            Some(e.bytes.to_string()),
            Some(e.objects.to_string()),
            Some(format!("{:.6}", e.cost_usd())),
            Some(e.listed.name().into()),
        ],
        Cost::Free => vec![Some("0".into()), Some("0".into()), Some("0.000000".into()), Some("none".into())],
        Cost::Unknown(_) => vec![None, None, None, Some("unknown".into())],
    }
}

fn columns(first: Option<&str>) -> Vec<Column> {
    let c = |name: &str, kind| Column { name: name.into(), kind };
    first
        .map(|f| c(f, Kind::Text))
        .into_iter()
        .chain([
            c("bytes", Kind::Integer),
            c("objects", Kind::Integer),
            c("cost_usd", Kind::Float),
            c("scope", Kind::Text),
        ])
        .collect()
}

/// The line for stderr that says what the estimate means.
fn status(cost: &Cost) -> String {
    match cost {
        Cost::Reads(e) => e.describe(),
        Cost::Free => "scans nothing: it reads no table's data".into(),
        Cost::Unknown(why) => format!("cannot be estimated: {why}, a table athq has no layout for"),
    }
}

/// `--estimate` for one statement: its estimate on stdout (one JSON object with --format json),
/// what it means on stderr; nothing starts.
pub async fn show(
    engine: &dyn Engine,
    sql: &str,
    opts: &crate::engine::RunOptions,
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let Some(cost) = engine.cost(sql, opts).await? else {
        return Err(InputError::new("--estimate is for Athena: the embedded engine costs nothing").into());
    };
    if out.format == OutputFormat::Json {
        let (bytes, objects, usd) = match &cost {
            Cost::Reads(e) => (Some(e.bytes), Some(e.objects as u64), Some(e.cost_usd())),
            Cost::Free => (Some(0), Some(0), Some(0.0)),
            Cost::Unknown(_) => (None, None, None),
        };
        let scope = row(&cost).pop().flatten();
        let json = serde_json::json!({"bytes": bytes, "objects": objects, "cost_usd": usd, "scope": scope});
        printer.line(&json.to_string())?;
    } else {
        print_rows(ResultSet { columns: columns(None), rows: vec![row(&cost)] }, out, printer)?;
    }
    printer.status(&status(&cost));
    Ok(())
}

/// `--estimate` for statements that run together: a row each, by label; nothing starts.
pub async fn show_all(
    engine: &dyn Engine,
    label: &str,
    planned: &[Planned<'_>],
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut total = 0;
    for p in planned {
        let Some(cost) = engine.cost(p.sql, p.opts).await? else {
            return Err(InputError::new("--estimate is for Athena: the embedded engine costs nothing").into());
        };
        if let Cost::Reads(e) = &cost {
            total += e.bytes;
        }
        if let Cost::Unknown(why) = &cost {
            printer.status(&format!("{}: cannot be estimated: {why}", p.label));
        }
        let mut r = vec![Some(p.label.to_string())];
        r.extend(row(&cost));
        rows.push(r);
    }
    print_rows(ResultSet { columns: columns(Some(label)), rows }, out, printer)?;
    printer.status(&format!(
        "{} statement(s) would scan at most {} ({total} bytes) in all; nothing was started",
        planned.len(),
        crate::engine::human_bytes(total as i64)
    ));
    Ok(())
}
