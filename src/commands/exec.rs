//! `athq exec --sql … | --file F`: ad-hoc SQL through the same machinery as `run`. On the embedded
//! engine it reads every file of the source (the SQL, not a window, says what it wants).

use std::io::Read;

use anyhow::Context;

use crate::cli::ExecArgs;
use crate::commands::resolve::ExecSettings;
use crate::commands::{cost, open_engine, run_and_print};
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: ExecArgs) -> anyhow::Result<()> {
    let sql = match (&args.sql, &args.file) {
        (Some(sql), _) => sql.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("reading SQL from stdin")?;
            s
        }
        (None, Some(path)) => std::fs::read_to_string(path)
            .map_err(|e| InputError::new(format!("cannot read --file {}: {e}", path.display())))?,
        (None, None) => unreachable!("clap requires --sql or --file"),
    };
    let sql = sql.trim().trim_end_matches(';').trim_end();
    if sql.is_empty() {
        return Err(InputError::new("the SQL is empty")
            .hint("pass --sql 'SELECT …' or --file query.sql")
            .into());
    }
    let settings = &cost::apply(settings, &args.cost)?;
    let exec = ExecSettings::resolve(settings, &args, sql)?;
    let engine = open_engine(settings, printer, exec.local.as_ref(), &exec.window).await?;
    // The SQL's own predicates are not read: every partition of the table counts.
    if args.cost.estimate {
        return cost::show(engine.as_ref(), sql, &exec.run, &args.output, printer).await;
    }
    run_and_print(engine.as_ref(), sql, &exec.run, &args.output, printer).await
}
