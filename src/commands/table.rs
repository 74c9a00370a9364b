//! `athq table ddl`: CREATE EXTERNAL TABLE for the configured table.

use crate::cli::TableCommand;
use crate::commands::table_with;
use crate::output::Printer;
use crate::settings::Settings;
use crate::table::ddl;

pub fn exec(settings: &Settings, printer: &Printer, cmd: TableCommand) -> anyhow::Result<()> {
    match cmd {
        TableCommand::Ddl(args) => {
            let table = table_with(settings, &args.shape)?;
            printer.line(&ddl::create_table(&table)?)
        }
    }
}
