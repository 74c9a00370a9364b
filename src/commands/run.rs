//! `athq run Q`: open the chosen engine, render the saved query for it, run it, print its results.

use crate::cli::RunArgs;
use crate::commands::{local_options, open_engine, run_and_print, window_spec};
use crate::output::Printer;
use crate::render::{self, RenderContext, TimeWindow};
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: RunArgs) -> anyhow::Result<()> {
    let lib = crate::commands::library(settings, printer)?;
    let query = lib.get(&args.query)?;
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let local = local_options(settings, &args.local)?;
    let engine = open_engine(settings, printer, local.as_ref(), &window).await?;
    // Render against the fields the data has, when the engine knows them.
    let mut table = settings.table.clone();
    if let Some(fields) = engine.fields() {
        table.fields = fields;
    }
    let ctx = RenderContext {
        table: &table,
        vpc_cidrs: &settings.vpc_cidrs,
        window,
        dialect: engine.dialect(),
        relative: None,
    };
    let sql = render::render(query, &params, &ctx)?;
    run_and_print(engine.as_ref(), &sql, &args.exec, &args.output, printer).await
}
