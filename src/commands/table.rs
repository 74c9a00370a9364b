//! `athq table ddl|create`: the configured table's DDL, printed or created.

use crate::cli::{TableCommand, Via};
use crate::commands::{athena, run_statement, table_with};
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
            let athena = athena(settings).await?;
            match args.via {
                Via::Athena => {
                    let exec = run_statement(&athena, &sql, &args.exec, printer).await?;
                    printer.status(&exec.footer());
                    printer.status(&format!(
                        "table {}.{} created (or already there)",
                        table.database, table.name
                    ));
                }
                Via::Glue => {
                    let client = aws_sdk_glue::Client::new(athena.sdk_config());
                    let outcome = glue::create_table(&client, &table, args.replace).await?;
                    printer.status(&format!("table {}.{} {outcome}", table.database, table.name));
                }
            }
            Ok(())
        }
    }
}
