//! `athq table ddl|create`: the configured table's DDL, printed, run on Athena, or created through Glue.

use crate::cli::{TableCommand, Via};
use crate::commands::{athena, aws, require_athena, run_statement, table_with};
use crate::engine::glue;
use crate::output::Printer;
use crate::settings::Settings;
use crate::table::ddl;

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
    }
}
