//! `--estimate` and `--max-scan` for `run` and `exec` on Athena: what the statement would scan at
//! most, printed instead of running it, or checked against a limit before it starts.

use crate::cli::{CostArgs, OutputArgs};
use crate::commands::print_rows;
use crate::engine::estimate::Estimate;
use crate::engine::{Column, Engine, Kind, ResultSet, human_bytes};
use crate::error::InputError;
use crate::output::Printer;
use crate::output::results::OutputFormat;
use crate::render::{Dialect, TimeWindow};
use crate::settings::Settings;
use crate::table::TableProfile;

/// What happens next.
pub enum Next {
    Run,
    /// The estimate was printed; nothing is to run.
    Done,
}

fn describe(e: &Estimate) -> String {
    let columns = match &e.columns {
        Some(c) if c.is_empty() => " (footers only: the query reads no column)".to_string(),
        Some(c) => format!(" (the column chunks of {})", c.join(", ")),
        None => String::new(),
    };
    format!(
        "would scan at most {} ({} bytes) in {} object(s){columns} · cost at most ${:.4} at $5/TB, 10 MB minimum",
        human_bytes(e.bytes as i64),
        e.bytes,
        e.objects,
        e.cost_usd()
    )
}

/// The limit as a reader can compare it with the estimate: exact bytes where the rounded
/// figures are the same.
fn limit_text(bytes: u64, max: u64) -> String {
    let (shown, limit) = (human_bytes(bytes as i64), human_bytes(max as i64));
    if shown == limit { format!("{limit} ({max} bytes)") } else { limit }
}

/// Lists the window's objects in S3 and sums what a query reading `columns` would scan.
#[cfg(feature = "aws")]
async fn estimate_from_s3(
    settings: &Settings,
    printer: &Printer,
    table: &TableProfile,
    window: &TimeWindow,
    columns: &[String],
) -> anyhow::Result<Estimate> {
    let s3 = crate::commands::aws(settings, printer).await?.s3();
    Ok(crate::engine::estimate::estimate(&s3, table, window, columns).await?)
}

#[cfg(not(feature = "aws"))]
async fn estimate_from_s3(
    _: &Settings,
    _: &Printer,
    _: &TableProfile,
    _: &TimeWindow,
    _: &[String],
) -> anyhow::Result<Estimate> {
    Err(crate::engine::without_aws("--estimate").into())
}

/// Refuses `--estimate` and `--max-scan` on the embedded engine, before anything is opened.
pub fn refuse_local(settings: &Settings, args: &CostArgs) -> anyhow::Result<()> {
    if settings.engine == crate::settings::EngineKind::Local && (args.estimate || args.max_scan.is_some()) {
        return Err(InputError::new(
            "--estimate and --max-scan are for Athena: the embedded engine costs nothing",
        )
        .hint("leave out --engine local to estimate what Athena would scan")
        .into());
    }
    Ok(())
}

/// Estimates when asked to, or when a limit applies; prints the estimate (`--estimate`) or
/// refuses a statement over the limit (exit 2).
#[allow(clippy::too_many_arguments)]
pub async fn check(
    settings: &Settings,
    printer: &Printer,
    engine: &dyn Engine,
    args: &CostArgs,
    table: &TableProfile,
    window: &TimeWindow,
    columns: Vec<String>,
    out: &OutputArgs,
) -> anyhow::Result<Next> {
    if engine.dialect() != Dialect::Athena {
        if args.estimate || args.max_scan.is_some() {
            return Err(InputError::new(
                "--estimate and --max-scan are for Athena: the embedded engine costs nothing",
            )
            .hint("leave out --engine local to estimate what Athena would scan")
            .into());
        }
        return Ok(Next::Run);
    }
    let limit = args.max_scan.or(settings.max_scan);
    if !args.estimate && limit.is_none() {
        return Ok(Next::Run);
    }
    let e = estimate_from_s3(settings, printer, table, window, &columns).await?;
    if args.estimate {
        if out.format == OutputFormat::Json {
            let json = serde_json::json!({"bytes": e.bytes, "objects": e.objects, "cost_usd": e.cost_usd()});
            printer.line(&json.to_string())?;
        } else {
            let c = |name: &str, kind| Column { name: name.into(), kind };
            let rows = ResultSet {
                columns: vec![
                    c("bytes", Kind::Integer),
                    c("objects", Kind::Integer),
                    c("cost_usd", Kind::Float),
                ],
                rows: vec![vec![
                    Some(e.bytes.to_string()),
                    Some(e.objects.to_string()),
                    Some(format!("{:.6}", e.cost_usd())),
                ]],
            };
            print_rows(rows, out, printer)?;
        }
        printer.status(&describe(&e));
        return Ok(Next::Done);
    }
    match limit {
        Some(max) if e.bytes > max => Err(InputError::new(format!(
            "not started: the query {}, more than the limit of {}",
            describe(&e),
            limit_text(e.bytes, max)
        ))
        .hint("narrow the window (--days, --hours, --from/--to), or raise the limit: --max-scan SIZE, or max_scan in athq.yaml")
        .into()),
        _ => Ok(Next::Run),
    }
}
