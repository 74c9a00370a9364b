//! `athq run Q`: render a saved query for Athena, run it, print its results.

use crate::cli::RunArgs;
use crate::commands::{athena, run_and_print, window_spec};
use crate::library::Library;
use crate::output::Printer;
use crate::render::{self, Dialect, RenderContext, TimeWindow};
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: RunArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let query = lib.get(&args.query)?;
    let table = settings.table.clone();
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let ctx =
        RenderContext { table: &table, vpc_cidrs: &settings.vpc_cidrs, window, dialect: Dialect::Athena };
    let sql = render::render(query, &params, &ctx)?;
    let athena = athena(settings).await?;
    run_and_print(&athena, &sql, &args.exec, &args.output, printer).await
}
