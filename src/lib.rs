//! athq: a saved-query library, table DDL and query runner for AWS VPC Flow Logs on Amazon Athena.
//! `run` is the whole program; `src/main.rs` only turns its result into an exit code.

pub mod cli;
pub mod commands;
pub mod engine;
pub mod env_vars;
pub mod error;
pub mod library;
pub mod logs;
pub mod output;
pub mod render;
pub mod report;
pub mod sample;
pub mod settings;
pub mod shell;
pub mod sql;
#[cfg(feature = "aws")]
pub mod sync;
pub mod table;

use std::io::Write as _;
use std::process::ExitCode;

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
    let color = output::stderr_color(cli.global.color, &|k| std::env::var(k).ok());
    let printer = Printer::new(settings.quiet).with_color(color);
    // `--threads` caps the cores a run uses: the runtime's workers (DataFusion's tasks run on
    // them) as well as the engine's partitions and reader threads.
    let threads = settings::threads(cli.command.threads(), &settings);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_stack_size(STACK_BYTES)
        .enable_all()
        .build()?;
    // The shell sits above the commands (it runs them); every other command is one of them.
    let result = runtime.block_on(async move {
        match cli.command {
            cli::Command::Sql(args) => shell::run(settings, printer, args).await,
            command => commands::exec(command, settings, printer).await,
        }
    });
    // A statement that was stopped may leave a worker in the middle of CPU-bound work (a join's
    // build, a sort): the answer is given, so the runtime is not waited for.
    runtime.shutdown_background();
    result
}

/// The stack of the thread that plans statements and of the runtime's workers. Planning and
/// evaluating a long chain of terms (`a OR b OR …`, generated allow-lists) recurse once a term,
/// deepest in the unoptimised SQL crates; DataFusion grows its stack on the heap where it
/// recurses most (`recursive_protection`), and this is the room left for the rest. Only the pages
/// a statement touches are ever allocated.
const STACK_BYTES: usize = 256 << 20;

/// The program: parse, run, report, exit code.
/// `--color` as given, read before parsing so that clap's own help and usage errors follow it.
fn requested_color() -> cli::ColorWhen {
    let mut args = std::env::args().skip(1);
    let mut when = cli::ColorWhen::Auto;
    while let Some(a) = args.next() {
        let value = match a.strip_prefix("--color") {
            Some("") => args.next(),
            Some(v) if v.starts_with('=') => Some(v[1..].to_string()),
            _ => None,
        };
        match value.as_deref() {
            Some("always") => when = cli::ColorWhen::Always,
            Some("never") => when = cli::ColorWhen::Never,
            Some("auto") => when = cli::ColorWhen::Auto,
            _ => {}
        }
    }
    when
}

pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let when = requested_color();
    let color = output::stderr_color(when, &|k| std::env::var(k).ok());
    let choice = match when {
        cli::ColorWhen::Always => clap::ColorChoice::Always,
        cli::ColorWhen::Auto if color => clap::ColorChoice::Auto,
        _ => clap::ColorChoice::Never,
    };
    let parsed = Cli::command().color(choice).try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { error::exit::USAGE } else { error::exit::SUCCESS });
        }
    };
    // The command runs on a thread with stack room to spare (see STACK_BYTES); the main thread's
    // is the operating system's (often 8 MiB).
    let worker =
        std::thread::Builder::new().name("athq".into()).stack_size(STACK_BYTES).spawn(move || run(cli));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(e) => Err(anyhow::anyhow!("cannot start athq's thread: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = error::exit_code(&e);
            if code != error::exit::SUCCESS {
                let text = error::report(&e);
                let text = if color { output::paint(&text) } else { text };
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
            ExitCode::from(code)
        }
    }
}
