//! `athq check`: every query file of the library loads, and renders on both engines for the
//! configured table with its defaults (an address where a query needs one). For CI: exit 2 on any
//! problem, each named with its file and line.

use crate::cli::CheckArgs;
use crate::error::InputError;
use crate::library::Library;
use crate::output::Printer;
use crate::render::{self, Dialect, RenderContext, RenderError, TimeWindow, WindowSpec};
use crate::settings::Settings;

pub fn exec(settings: &Settings, printer: &Printer, _args: CheckArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let mut problems: Vec<String> = lib.broken().map(|(_, b)| b.error().to_string()).collect();
    let window = TimeWindow::resolve(&WindowSpec::Last(crate::commands::DEFAULT_WINDOW), settings.now)?;
    // Sample internal networks where none are configured, so queries that need them still render.
    let nets = match settings.vpc_cidrs.is_empty() {
        true => vec!["10.0.0.0/8".parse().expect("a CIDR")],
        false => settings.vpc_cidrs.clone(),
    };
    let mut checked = 0;
    for q in lib.iter() {
        let params = q.sample_params();
        for dialect in [Dialect::Athena, Dialect::Local] {
            let ctx =
                RenderContext { table: &settings.table, vpc_cidrs: &nets, window, dialect, relative: None };
            match render::render(q, &params, &ctx) {
                Ok(_) | Err(RenderError::MissingFields { .. }) => {}
                Err(e) => problems.push(format!("{} ({} engine): {e}", q.source, dialect.name())),
            }
        }
        checked += 1;
    }
    if problems.is_empty() {
        printer.status(&format!("{checked} queries load and render"));
        return Ok(());
    }
    for p in &problems {
        printer.status(&format!("problem: {p}"));
    }
    Err(InputError::new(format!("{} problem(s) in the library ({checked} queries load)", problems.len()))
        .hint("fix the files named above; `athq show Q --sql` prints a query's file")
        .into())
}
