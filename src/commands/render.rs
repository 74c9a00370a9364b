//! `athq render Q`: the SQL exactly as it would run.

use crate::cli::RenderArgs;
use crate::commands::{table_with, window_spec};
use crate::library::Library;
use crate::output::Printer;
use crate::render::{self, RenderContext, TimeWindow};
use crate::settings::Settings;

pub fn exec(settings: &Settings, printer: &Printer, args: RenderArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let query = lib.get(&args.query)?;
    let table = table_with(settings, &args.shape)?;
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let ctx = RenderContext {
        table: &table,
        vpc_cidrs: &settings.vpc_cidrs,
        window,
        dialect: args.dialect,
        relative: None,
    };
    let sql = render::render(query, &params, &ctx)?;
    printer.line(&sql)
}
