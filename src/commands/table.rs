//! `athq table ddl|create`: the configured table's DDL, printed, run on Athena, or created through Glue.

use std::collections::HashSet;

use crate::cli::OutputArgs;
use crate::cli::{ConvertArgs, TableCommand, Via};
#[cfg(feature = "aws")]
use crate::commands::aws;
use crate::commands::resolve::{delivery_with, other_kind, run_options};
use crate::commands::{athena, cost, require_athena, run_statement, table_with};
#[cfg(feature = "aws")]
use crate::engine::glue;
use crate::engine::{Planned, RunOptions, Scope};
use crate::error::InputError;
use crate::output::Printer;
use crate::output::results::OutputFormat;
use crate::render::TimeWindow;
use crate::render::window::{DELIVERY_SLACK_AFTER, DELIVERY_SLACK_BEFORE};
use crate::settings::Settings;
use crate::table::{TableProfile, convert, ddl};

pub async fn exec(settings: &Settings, printer: &Printer, cmd: TableCommand) -> anyhow::Result<()> {
    match cmd {
        TableCommand::Ddl(args) => match other_kind(&args.kind)? {
            Some(kind) => {
                let d = delivery_with(settings, kind, &args.kind, &args.shape)?;
                let sql = kind.ddl(&d).map_err(|m| {
                    InputError::new(m).hint(format!(
                        "set them under `tables: {}:` in athq.yaml, or pass --location, --accounts, --regions",
                        d.name
                    ))
                })?;
                printer.line(&sql)
            }
            None => {
                let table = table_with(settings, &args.shape)?;
                printer.line(&ddl::create_table(&table)?)
            }
        },
        TableCommand::Create(args) => {
            let table = table_with(settings, &args.shape)?;
            let sql = ddl::create_table(&table)?;
            match args.via {
                Via::Athena => {
                    let engine = athena(settings, printer, "table create").await?;
                    run_statement(engine.as_ref(), &sql, &run_options(&args.exec), printer).await?;
                    printer.status(&format!(
                        "table {}.{} created (or already there)",
                        table.database, table.name
                    ));
                }
                Via::Glue => {
                    require_athena(settings, "table create")?;
                    let outcome = create_via_glue(settings, printer, &table, args.replace).await?;
                    printer.status(&format!("table {}.{} {outcome}", table.database, table.name));
                }
            }
            Ok(())
        }
        TableCommand::Convert(args) => convert(settings, printer, args).await,
    }
}

/// Creates the table in the Glue catalog directly (`replace`: updates it); says which it did.
#[cfg(feature = "aws")]
async fn create_via_glue(
    settings: &Settings,
    printer: &Printer,
    table: &TableProfile,
    replace: bool,
) -> anyhow::Result<String> {
    let client = aws(settings, printer).await?.glue();
    Ok(glue::create_table(&client, table, replace).await?.to_string())
}

#[cfg(not(feature = "aws"))]
async fn create_via_glue(_: &Settings, _: &Printer, _: &TableProfile, _: bool) -> anyhow::Result<String> {
    Err(crate::engine::without_aws("table create --via glue").into())
}

/// Whether the catalog has the table, and the partitions it holds of it.
#[cfg(feature = "aws")]
async fn in_catalog(
    settings: &Settings,
    printer: &Printer,
    table: &TableProfile,
) -> anyhow::Result<(Option<convert::Existing>, HashSet<Vec<String>>)> {
    let client = aws(settings, printer).await?.glue();
    let info = glue::table_info(&client, table).await?;
    let existing =
        if info.is_some() { glue::catalog_partitions(&client, table).await? } else { Default::default() };
    Ok((info, existing))
}

#[cfg(not(feature = "aws"))]
async fn in_catalog(
    _: &Settings,
    _: &Printer,
    _: &TableProfile,
) -> anyhow::Result<(Option<convert::Existing>, HashSet<Vec<String>>)> {
    Err(crate::engine::without_aws("table convert").into())
}

/// `athq table convert parquet`: plans against what the catalog holds of the copy, then prints
/// the statements or runs them in order.
async fn convert(settings: &Settings, printer: &Printer, args: ConvertArgs) -> anyhow::Result<()> {
    let settings = &cost::apply(settings, &args.cost)?;
    let source = table_with(settings, &args.shape)?;
    let name = args.target.clone().unwrap_or_else(|| format!("{}_parquet", source.name));
    crate::table::validate_identifier("table", &name)
        .map_err(|e| InputError::new(format!("--target: {e}")))?;
    let location = crate::table::validate_location(&args.target_location)
        .map_err(|e| InputError::new(format!("--target-location: {e}")))?;
    let copy = convert::target(&source, &name, &location);
    let to = args.to.unwrap_or_else(|| settings.now.to_zoned(jiff::tz::TimeZone::UTC).date());
    require_athena(settings, "table convert")?;
    let (info, existing) = in_catalog(settings, printer, &copy).await?;
    if let Some(info) = &info {
        convert::check_existing(&copy, info, args.compression)?;
    }
    let batches = convert::plan(&source, &copy, args.from, to, &existing, info.is_some(), args.compression)?;
    let total: usize = batches.iter().map(|b| b.partitions).sum();
    printer.status(&format!(
        "{}.{} → {}.{}: {} partition(s) to write in {} statement(s){}",
        source.database,
        source.name,
        copy.database,
        copy.name,
        total,
        batches.len(),
        if existing.is_empty() { String::new() } else { format!("; {} already there", existing.len()) }
    ));
    if args.print {
        for b in &batches {
            printer.data(&format!(
                "-- {} partition(s), {} to {}\n{};\n\n",
                b.partitions, b.first, b.last, b.sql
            ))?;
        }
        return Ok(());
    }
    if batches.is_empty() {
        return Ok(());
    }
    // The scan limit estimates the source as the flags shape it; each statement reads every
    // column of its days (or hours).
    let with_source = Settings { table: source.clone(), ..settings.clone() };
    let engine = athena(&with_source, printer, "table convert").await?;
    let columns: Vec<String> = source.fields.fields().iter().map(|f| f.column()).collect();
    let options: Vec<RunOptions> = batches
        .iter()
        .map(|b| {
            let mut opts = run_options(&args.exec);
            // The window whose delivery folders are exactly the batch's units.
            let end = b.last.checked_add(source.granularity.span()).unwrap_or(b.last);
            let utc = |d: jiff::civil::DateTime| d.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp());
            if let (Ok(from), Ok(to)) = (utc(b.first), utc(end)) {
                let from = from.checked_add(DELIVERY_SLACK_BEFORE).unwrap_or(from);
                let to = to.checked_sub(DELIVERY_SLACK_AFTER).unwrap_or(to);
                opts.scope = Some(Scope { window: TimeWindow { from, to }, columns: columns.clone() });
            }
            opts
        })
        .collect();
    let labels: Vec<String> = (1..=batches.len()).map(|i| format!("statement {i}")).collect();
    let planned: Vec<Planned> = batches
        .iter()
        .zip(&options)
        .zip(&labels)
        .map(|((b, opts), label)| Planned { label, sql: &b.sql, opts })
        .collect();
    if args.cost.estimate {
        let table = OutputArgs::stdout(OutputFormat::Table);
        return cost::show_all(engine.as_ref(), "statement", &planned, &table, printer).await;
    }
    engine.admit(&planned).await?;
    for (i, b) in batches.iter().enumerate() {
        printer.status(&format!(
            "statement {} of {} ({}, {} partition(s), {} to {})",
            i + 1,
            batches.len(),
            if b.creates { "CREATE TABLE AS" } else { "INSERT INTO" },
            b.partitions,
            b.first,
            b.last
        ));
        run_statement(engine.as_ref(), &b.sql, &options[i], printer).await.map_err(|e| {
            e.context(format!(
                "statement {} of {} failed; the ones before it were applied: run the same command again to resume",
                i + 1,
                batches.len()
            ))
        })?;
    }
    Ok(())
}
