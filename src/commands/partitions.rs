//! `athq partitions repair|add|drop`: partition statements for tables with catalog partitions.
//! Running them on Athena arrives with the Athena engine; until then `--print` is required.

use crate::cli::PartitionsCommand;
use crate::commands::table_with;
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;
use crate::table::partitions::{self, ATHENA_MAX_QUERY_BYTES};

fn require_print(print: bool) -> anyhow::Result<()> {
    if print {
        Ok(())
    } else {
        Err(InputError::new("this build cannot run partition statements on Athena yet")
            .hint("add --print to print them, then run them in the Athena console")
            .into())
    }
}

fn print_statements(printer: &Printer, statements: &[String]) -> anyhow::Result<()> {
    for s in statements {
        printer.data(&format!("{s};\n\n"))?;
    }
    Ok(())
}

pub fn exec(settings: &Settings, printer: &Printer, cmd: PartitionsCommand) -> anyhow::Result<()> {
    match cmd {
        PartitionsCommand::Repair(args) => {
            let table = table_with(settings, &args.shape)?;
            let stmt = partitions::repair(&table)?;
            require_print(args.print)?;
            print_statements(printer, &[stmt])
        }
        PartitionsCommand::Add(args) | PartitionsCommand::Drop(args) if !args.print => require_print(false),
        PartitionsCommand::Add(args) => {
            let table = table_with(settings, &args.shape)?;
            let to = args.to.unwrap_or_else(|| settings.now.to_zoned(jiff::tz::TimeZone::UTC).date());
            let stmts = partitions::add(&table, args.from, to, ATHENA_MAX_QUERY_BYTES)?;
            printer.status(&format!("{} statement(s) for {}..{}", stmts.len(), args.from, to));
            print_statements(printer, &stmts)
        }
        PartitionsCommand::Drop(args) => {
            let table = table_with(settings, &args.shape)?;
            let to = args.to.unwrap_or_else(|| settings.now.to_zoned(jiff::tz::TimeZone::UTC).date());
            let stmts = partitions::drop(&table, args.from, to, ATHENA_MAX_QUERY_BYTES)?;
            printer.status(&format!("{} statement(s) for {}..{}", stmts.len(), args.from, to));
            print_statements(printer, &stmts)
        }
    }
}
