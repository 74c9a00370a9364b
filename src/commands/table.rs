//! `athq table ddl|create`: the configured table's DDL, printed, run on Athena, or created through Glue.

use crate::cli::{ConvertArgs, TableCommand, Via};
use crate::commands::{athena, aws, require_athena, run_statement, table_with};
use crate::engine::glue;
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;
use crate::table::{convert, ddl};

pub async fn exec(settings: &Settings, printer: &Printer, cmd: TableCommand) -> anyhow::Result<()> {
    match cmd {
        TableCommand::Ddl(args) => {
            let table = table_with(settings, &args.shape)?;
            printer.line(&ddl::create_table(&table)?)
        }
        TableCommand::Create(args) => {
            let table = table_with(settings, &args.shape)?;
            let sql = ddl::create_table(&table)?;
            match args.via {
                Via::Athena => {
                    let engine = athena(settings, printer, "table create").await?;
                    run_statement(engine.as_ref(), &sql, &args.exec, printer).await?;
                    printer.status(&format!(
                        "table {}.{} created (or already there)",
                        table.database, table.name
                    ));
                }
                Via::Glue => {
                    require_athena(settings, "table create")?;
                    let client = aws(settings, printer).await?.glue();
                    let outcome = glue::create_table(&client, &table, args.replace).await?;
                    printer.status(&format!("table {}.{} {outcome}", table.database, table.name));
                }
            }
            Ok(())
        }
        TableCommand::Convert(args) => convert(settings, printer, args).await,
    }
}

/// `athq table convert parquet`: plans against what the catalog holds of the copy, then prints
/// the statements or runs them in order.
async fn convert(settings: &Settings, printer: &Printer, args: ConvertArgs) -> anyhow::Result<()> {
    let source = table_with(settings, &args.shape)?;
    let name = args.target.clone().unwrap_or_else(|| format!("{}_parquet", source.name));
    crate::table::validate_identifier("table", &name)
        .map_err(|e| InputError::new(format!("--target: {e}")))?;
    let location = crate::table::validate_location(&args.target_location)
        .map_err(|e| InputError::new(format!("--target-location: {e}")))?;
    let copy = convert::target(&source, &name, &location);
    let to = args.to.unwrap_or_else(|| settings.now.to_zoned(jiff::tz::TimeZone::UTC).date());
    require_athena(settings, "table convert")?;
    let glue_client = aws(settings, printer).await?.glue();
    let exists = glue::table_exists(&glue_client, &copy).await?;
    let existing =
        if exists { glue::catalog_partitions(&glue_client, &copy).await? } else { Default::default() };
    let batches = convert::plan(&source, &copy, args.from, to, &existing, exists, args.compression)?;
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
    let engine = athena(settings, printer, "table convert").await?;
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
        run_statement(engine.as_ref(), &b.sql, &args.exec, printer).await.map_err(|e| {
            e.context(format!(
                "statement {} of {} failed; the ones before it were applied: run the same command again to resume",
                i + 1,
                batches.len()
            ))
        })?;
    }
    Ok(())
}
