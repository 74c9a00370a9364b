//! `athq run Q`: render a saved query for the chosen engine, run it, print its results.

use crate::cli::RunArgs;
use crate::commands::{athena, run_and_print, window_spec};
use crate::engine::athena::{s3_client, sdk_config};
use crate::engine::local::LocalEngine;
use crate::error::InputError;
use crate::library::Library;
use crate::output::Printer;
use crate::render::{self, Dialect, RenderContext, TimeWindow};
use crate::settings::{EngineKind, Settings};

pub async fn exec(settings: &Settings, printer: &Printer, args: RunArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let query = lib.get(&args.query)?;
    let mut table = settings.table.clone();
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;

    if settings.engine == EngineKind::Athena {
        let ctx = RenderContext {
            table: &table,
            vpc_cidrs: &settings.vpc_cidrs,
            window,
            dialect: Dialect::Athena,
            relative: None,
        };
        let sql = render::render(query, &params, &ctx)?;
        let athena = athena(settings).await?;
        return run_and_print(&athena, &sql, &args.exec, &args.output, printer).await;
    }

    let source = args.source.clone().or_else(|| table.location.clone()).ok_or_else(|| {
        InputError::new("the embedded engine needs flow-log files")
            .hint("pass --source DIR (or s3://bucket/prefix), or set table.location")
    })?;
    let s3 = match source.starts_with("s3://") {
        true => Some(s3_client(&sdk_config(settings).await?)),
        false => None,
    };
    let engine = LocalEngine::open(&source, &window, s3.as_ref()).await?;
    // The files say which fields they carry; the query's needs are checked against them.
    if let Some(fields) = engine.field_set() {
        table.fields = fields;
    }
    let ctx = RenderContext {
        table: &table,
        vpc_cidrs: &settings.vpc_cidrs,
        window,
        dialect: Dialect::Local,
        relative: None,
    };
    let sql = render::render(query, &params, &ctx)?;
    let rs = engine.run(&table.name, &sql).await?;
    printer
        .data_to(&crate::output::results::render(&rs, args.output.format), args.output.output.as_deref())?;
    printer.status(&engine.footer());
    Ok(())
}
