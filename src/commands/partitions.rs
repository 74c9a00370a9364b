//! `athq partitions repair|add|drop`: partition statements for tables with catalog partitions,
//! printed (`--print`) or run on Athena one after another.

use jiff::civil::Date;

use crate::cli::{ExecOptions, PartitionsCommand, RangeArgs, Via};
#[cfg(feature = "aws")]
use crate::commands::aws;
use crate::commands::resolve::{delivery_with, other_kind};
use crate::commands::{athena, require_athena, run_statement, table_with};
#[cfg(feature = "aws")]
use crate::engine::glue;
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;
use crate::table::TableProfile;
use crate::table::partitions::{self, ATHENA_MAX_QUERY_BYTES, Partition};

async fn emit(
    settings: &Settings,
    printer: &Printer,
    statements: &[String],
    print: bool,
    opts: &ExecOptions,
) -> anyhow::Result<()> {
    if print {
        for s in statements {
            printer.data(&format!("{s};\n\n"))?;
        }
        return Ok(());
    }
    let engine = athena(settings, printer, "partitions").await?;
    for (i, s) in statements.iter().enumerate() {
        printer.status(&format!("statement {} of {}", i + 1, statements.len()));
        run_statement(engine.as_ref(), s, &crate::commands::resolve::run_options(opts), printer)
            .await
            .map_err(|e| {
                e.context(format!(
                    "statement {} of {} failed; the ones before it were applied",
                    i + 1,
                    statements.len()
                ))
            })?;
    }
    Ok(())
}

/// Creates the range's partitions in the Glue catalog directly.
#[cfg(feature = "aws")]
async fn add_via_glue(
    settings: &Settings,
    printer: &Printer,
    table: &TableProfile,
    parts: &[Partition],
    (from, to): (Date, Date),
) -> anyhow::Result<()> {
    let client = aws(settings, printer).await?.glue();
    let report = glue::add_partitions(&client, table, parts).await?;
    printer.status(&format!(
        "{} partition(s) for {from}..{to}: {} created, {} already existed",
        parts.len(),
        report.created,
        report.already_existed
    ));
    Ok(())
}

#[cfg(not(feature = "aws"))]
async fn add_via_glue(
    _: &Settings,
    _: &Printer,
    _: &TableProfile,
    _: &[Partition],
    _: (Date, Date),
) -> anyhow::Result<()> {
    Err(crate::engine::without_aws("partitions add --via glue").into())
}

/// The S3 folders that have no partition in the catalog.
#[cfg(feature = "aws")]
async fn missing(
    settings: &Settings,
    printer: &Printer,
    table: &TableProfile,
    check: bool,
) -> anyhow::Result<Vec<Partition>> {
    let aws = aws(settings, printer).await?;
    let found = glue::missing_partitions(&aws.glue(), &aws.s3(), table).await?;
    if found.matched == 0 {
        // Nothing to compare: a check of nothing does not pass; a look says so and goes on.
        let message = format!(
            "no dated folder under the table's location matches its layout ({}); looked in {}",
            table.layout,
            found.looked_in.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        );
        let hint = "check table.location (it ends at the folder that holds AWSLogs/), accounts, regions and layout in athq.yaml";
        if check {
            return Err(InputError::new(message).hint(hint).into());
        }
        printer.status(&format!("warning: {message}\nhint: {hint}"));
    }
    Ok(found.missing)
}

#[cfg(not(feature = "aws"))]
async fn missing(_: &Settings, _: &Printer, _: &TableProfile, _: bool) -> anyhow::Result<Vec<Partition>> {
    Err(crate::engine::without_aws("partitions missing").into())
}

fn range(settings: &Settings, args: &RangeArgs) -> (Date, Date) {
    let to = args.to.unwrap_or_else(|| settings.now.to_zoned(jiff::tz::TimeZone::UTC).date());
    (args.from, to)
}

pub async fn exec(settings: &Settings, printer: &Printer, cmd: PartitionsCommand) -> anyhow::Result<()> {
    let adding = matches!(cmd, PartitionsCommand::Add(_));
    let kind = match &cmd {
        PartitionsCommand::Add(a) | PartitionsCommand::Drop(a) => other_kind(&a.kind)?,
        _ => None,
    };
    match cmd {
        PartitionsCommand::Repair(args) => {
            let table = table_with(settings, &args.shape)?;
            let stmt = partitions::repair(&table)?;
            emit(settings, printer, &[stmt], args.print, &args.exec).await
        }
        PartitionsCommand::Add(args) | PartitionsCommand::Drop(args) if kind.is_some() => {
            let kind = kind.expect("matched");
            if args.via == Via::Glue {
                return Err(InputError::new(format!("--via glue is for the flow-log table; {} partitions are added with ALTER TABLE on Athena", kind.title()))
                    .hint("leave out --via glue")
                    .into());
            }
            let d = delivery_with(settings, kind, &args.kind, &args.shape)?;
            let (from, to) = range(settings, &args);
            let stmts = match adding {
                true => partitions::add_kind(kind, &d, from, to, ATHENA_MAX_QUERY_BYTES)?,
                false => partitions::drop_kind(kind, &d, from, to, ATHENA_MAX_QUERY_BYTES)?,
            };
            printer.status(&format!("{} statement(s) for {from}..{to}", stmts.len()));
            emit(settings, printer, &stmts, args.print, &args.exec).await
        }
        PartitionsCommand::Add(args) if args.via == Via::Glue => {
            let table = table_with(settings, &args.shape)?;
            let (from, to) = range(settings, &args);
            let parts = partitions::partitions_in(&table, from, to)?;
            require_athena(settings, "partitions add")?;
            add_via_glue(settings, printer, &table, &parts, (from, to)).await
        }
        PartitionsCommand::Missing(args) => {
            let table = table_with(settings, &args.shape)?;
            partitions::require_managed(&table)?;
            require_athena(settings, "partitions missing")?;
            let missing = missing(settings, printer, &table, args.check).await?;
            for p in &missing {
                printer.line(&p.location)?;
            }
            printer.status(&format!("{} folder(s) in S3 have no partition in the catalog", missing.len()));
            if missing.is_empty() {
                return Ok(());
            }
            printer.status("hint: `athq partitions add --from … --to …` adds them");
            if args.check {
                return Err(
                    crate::error::Drift::new(format!("{} partition(s) missing", missing.len())).into()
                );
            }
            Ok(())
        }
        PartitionsCommand::Drop(args) if args.via == Via::Glue => {
            Err(InputError::new("partitions drop runs on Athena only").hint("leave out --via glue").into())
        }
        PartitionsCommand::Add(args) => {
            let table = table_with(settings, &args.shape)?;
            let (from, to) = range(settings, &args);
            let stmts = partitions::add(&table, from, to, ATHENA_MAX_QUERY_BYTES)?;
            printer.status(&format!("{} statement(s) for {from}..{to}", stmts.len()));
            emit(settings, printer, &stmts, args.print, &args.exec).await
        }
        PartitionsCommand::Drop(args) => {
            let table = table_with(settings, &args.shape)?;
            let (from, to) = range(settings, &args);
            let stmts = partitions::drop(&table, from, to, ATHENA_MAX_QUERY_BYTES)?;
            printer.status(&format!("{} statement(s) for {from}..{to}", stmts.len()));
            emit(settings, printer, &stmts, args.print, &args.exec).await
        }
    }
}
