//! athq: a saved-query library, table DDL and query runner for AWS VPC Flow Logs on Amazon Athena.
//! `run` is the whole program; `src/main.rs` only turns its result into an exit code.

pub mod cli;
pub mod commands;
pub mod engine;
pub mod env_vars;
pub mod error;
pub mod library;
pub mod output;
pub mod render;
pub mod report;
pub mod sample;
pub mod settings;
pub mod shell;
pub mod sql;
pub mod sync;
pub mod table;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, GlobalArgs};
use crate::output::Printer;
use crate::settings::{Overrides, Settings};

fn overrides(g: &GlobalArgs) -> Overrides {
    Overrides {
        config: g.config.clone(),
        library: g.library.clone(),
        region: g.region.clone(),
        profile: g.profile.clone(),
        endpoint_url: g.endpoint_url.clone(),
        workgroups: g.workgroup.clone(),
        catalog: g.catalog.clone(),
        database: g.database.clone(),
        table: g.table.clone(),
        output_location: g.output_location.clone(),
        engine: g.engine,
        vpc_cidrs: g.vpc_cidrs.clone(),
        quiet: g.quiet,
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let cwd = std::env::current_dir()?;
    let settings = Settings::resolve(&overrides(&cli.global), &|k| std::env::var(k).ok(), &cwd)?;
    let printer = Printer::new(settings.quiet);
    // `--threads` caps the cores a run uses: the runtime's workers (DataFusion's tasks run on
    // them) as well as the engine's partitions and reader threads.
    let threads = settings::threads(cli.command.threads(), &settings);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build()?;
    runtime.block_on(commands::exec(cli.command, settings, printer))
}

/// The program: parse, run, report, exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { error::exit::USAGE } else { error::exit::SUCCESS });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = error::exit_code(&e);
            if code != error::exit::SUCCESS {
                let _ = std::io::stderr().write_all(error::report(&e).as_bytes());
            }
            ExitCode::from(code)
        }
    }
}
