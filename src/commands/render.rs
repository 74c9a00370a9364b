//! `athq render Q`: the SQL exactly as it would run on the engine `--engine` names.

use crate::cli::RenderArgs;
use crate::commands::resolve::{table_with, window_spec};
use crate::output::Printer;
use crate::render::{self, Dialect, RenderContext, TimeWindow};
use crate::settings::{EngineKind, Settings};

pub fn exec(settings: &Settings, printer: &Printer, args: RenderArgs) -> anyhow::Result<()> {
    let lib = crate::commands::library(settings, printer)?;
    let query = lib.get(&args.query)?;
    let table = table_with(settings, &args.shape)?;
    let params = args.params.iter().map(|p| render::parse_assignment(p)).collect::<Result<Vec<_>, _>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let dialect = match (args.dialect, settings.engine) {
        (Some(d), _) => {
            printer.status(&format!("warning: --dialect is now --engine: use `--engine {}`", d.name()));
            d
        }
        (None, EngineKind::Athena) => Dialect::Athena,
        (None, EngineKind::Local) => Dialect::Local,
    };
    let ctx =
        RenderContext { table: &table, vpc_cidrs: &settings.vpc_cidrs, window, dialect, relative: None };
    let sql = render::render(query, &params, &ctx)?;
    printer.line(&sql)
}
