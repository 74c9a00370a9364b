//! `athq run Q`: render a saved query for the chosen engine, run it, print its results.

use crate::cli::RunArgs;
use crate::commands::{athena, run_and_print, window_spec};
use crate::engine::Engine;
use crate::engine::athena::{s3_client, sdk_config};
use crate::engine::local::LocalEngine;
use crate::error::InputError;
use crate::library::{Library, Query};
use crate::output::Printer;
use crate::render::{self, RenderContext, TimeWindow};
use crate::settings::{EngineKind, Settings};

pub async fn exec(settings: &Settings, printer: &Printer, args: RunArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let query = lib.get(&args.query)?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    match settings.engine {
        EngineKind::Athena => {
            let engine = athena(settings).await?;
            render_and_run(&engine, settings, printer, &args, query, window).await
        }
        EngineKind::Local => {
            let source =
                args.source.clone().or_else(|| settings.table.location.clone()).ok_or_else(|| {
                    InputError::new("the embedded engine needs flow-log files")
                        .hint("pass --source DIR (or s3://bucket/prefix), or set table.location")
                })?;
            let s3 = match source.starts_with("s3://") {
                true => Some(s3_client(&sdk_config(settings).await?)),
                false => None,
            };
            let engine = LocalEngine::open(&source, &window, s3.as_ref()).await?;
            render_and_run(&engine, settings, printer, &args, query, window).await
        }
    }
}

/// Renders the query in the engine's dialect (against the fields the data has, when the engine
/// knows them) and runs it.
async fn render_and_run<E: Engine>(
    engine: &E,
    settings: &Settings,
    printer: &Printer,
    args: &RunArgs,
    query: &Query,
    window: TimeWindow,
) -> anyhow::Result<()> {
    let mut table = settings.table.clone();
    if let Some(fields) = engine.fields() {
        table.fields = fields;
    }
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let ctx = RenderContext {
        table: &table,
        vpc_cidrs: &settings.vpc_cidrs,
        window,
        dialect: engine.dialect(),
        relative: None,
    };
    let sql = render::render(query, &params, &ctx)?;
    run_and_print(engine, &table, &sql, &args.exec, &args.output, printer).await
}
