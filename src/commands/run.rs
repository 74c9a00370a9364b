//! `athq run Q`: open the chosen engine, render the saved query for it, run it, print its results.

use crate::cli::RunArgs;
use crate::commands::resolve::RunSettings;
use crate::commands::{cost, open_engine, run_and_count};
use crate::engine::Scope;
use crate::output::Printer;
use crate::render::{self, RenderContext};
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: RunArgs) -> anyhow::Result<()> {
    let lib = crate::commands::library(settings, printer)?;
    let query = lib.get(&args.query)?;
    let settings = &cost::apply(settings, &args.cost)?;
    let run = RunSettings::resolve(settings, &args)?;
    let engine = open_engine(settings, printer, run.local.as_ref(), &run.window).await?;
    // Render against the table as the engine reads it (the fields the data has, the layout its
    // paths show), when it knows.
    let table = engine.table().unwrap_or_else(|| settings.table.clone());
    // What the statement reads, for the scan limit: the window, and the query's fields.
    let columns: Vec<String> = query.fields.iter().map(|f| f.column()).collect();
    let mut opts = run.run.clone();
    opts.scope = Some(Scope { window: run.window, columns });
    let ctx = RenderContext {
        table: &table,
        vpc_cidrs: &settings.vpc_cidrs,
        window: run.window,
        dialect: engine.dialect(),
        relative: None,
    };
    let sql = render::render(query, &run.params, &ctx)?;
    if args.cost.estimate {
        return cost::show(engine.as_ref(), &sql, &opts, &args.output, printer).await;
    }
    let rows = run_and_count(engine.as_ref(), &sql, &opts, &args.output, printer).await?;
    // A query whose `limit` the result reached may have been cut: say so.
    let limit =
        run.params.iter().find(|(n, _)| n == "limit").map(|(_, v)| v.trim().to_string()).or_else(|| {
            let (_, spec) = query.param("limit")?;
            spec.default.as_ref().and_then(serde_yaml::Value::as_u64).map(|n| n.to_string())
        });
    if let Some(limit) = limit.and_then(|l| l.parse::<u64>().ok()).filter(|l| *l == rows) {
        printer.status(&format!(
            "note: the result stopped at the query's limit of {limit} rows: more may match (-p limit=N shows more)"
        ));
    }
    Ok(())
}
