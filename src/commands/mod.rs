//! One thin module per subcommand: each maps its arguments onto the library modules and prints
//! through the printer. Shared here: applying table-shape flags and turning window flags into a
//! window, so every command that takes them reads them the same way.

pub mod cancel;
pub mod check;
pub mod exec;
pub mod list;
pub mod partitions;
pub mod render;
pub mod results;
pub mod run;
pub mod sample;
pub mod saved;
pub mod show;
pub mod status;
pub mod table;

use std::sync::Arc;

use jiff::SignedDuration;

use crate::cli::{Command, ExecOptions, LocalArgs, OutputArgs, TableShapeArgs, WindowArgs};
use crate::engine::aws::{Aws, Notify};
use crate::engine::local::LocalOptions;
use crate::engine::{self, Engine, RunOptions};
use crate::error::InputError;
use crate::output::{Printer, Spinner};
use crate::render::TimeWindow;
use crate::render::window::{WindowSpec, parse_time};
use crate::settings::{EngineKind, Settings};
use crate::table::{self as tbl, FieldSet, Layout, Partitioning, TableProfile};

/// The window used when a command is given none.
pub const DEFAULT_WINDOW: SignedDuration = SignedDuration::from_hours(24);

pub async fn exec(command: Command, settings: Settings, printer: Printer) -> anyhow::Result<()> {
    match command {
        Command::List(args) => list::exec(&settings, &printer, args),
        Command::Show(args) => show::exec(&settings, &printer, args),
        Command::Render(args) => render::exec(&settings, &printer, args),
        Command::Table(cmd) => table::exec(&settings, &printer, cmd).await,
        Command::Partitions(cmd) => partitions::exec(&settings, &printer, cmd).await,
        Command::Run(args) => run::exec(&settings, &printer, args).await,
        Command::Sample(args) => sample::exec(&settings, &printer, args),
        Command::Saved(cmd) => saved::exec(&settings, &printer, cmd).await,
        Command::Exec(args) => exec::exec(&settings, &printer, args).await,
        Command::Status(args) => status::exec(&settings, &printer, args).await,
        Command::Results(args) => results::exec(&settings, &printer, args).await,
        Command::Cancel(args) => cancel::exec(&settings, &printer, args).await,
        Command::Check(args) => check::exec(&settings, &printer, args),
    }
}

/// The library, with a warning for each query file that did not load (commands that do not use
/// it go on; `athq check` fails on it).
pub fn library(settings: &Settings, printer: &Printer) -> anyhow::Result<crate::library::Library> {
    let lib = crate::library::Library::load(&settings.library_dirs)?;
    for (name, b) in lib.broken() {
        printer.status(&format!("warning: query `{name}` is left out: {}", b.error()));
    }
    Ok(lib)
}

/// Status notices from the AWS layer (retries), through the printer.
pub fn notify(printer: &Printer) -> Notify {
    let printer = *printer;
    Arc::new(move |text: &str| printer.status(text))
}

/// Refuses the embedded engine on commands only Athena serves, saying so in the command's words.
pub fn require_athena(settings: &Settings, what: &str) -> anyhow::Result<()> {
    if settings.engine == EngineKind::Local {
        return Err(InputError::new(format!("{what} runs on Athena only, and the engine is `local`"))
            .hint("leave out --engine local (or unset engine: local in athq.yaml / ATHQ_ENGINE)")
            .into());
    }
    Ok(())
}

/// The AWS configuration and clients, for commands that call AWS APIs other than queries.
pub async fn aws(settings: &Settings, printer: &Printer) -> anyhow::Result<Aws> {
    Ok(Aws::connect(settings, notify(printer)).await?)
}

/// The Athena engine, for commands that only Athena can serve.
pub async fn athena(settings: &Settings, printer: &Printer, what: &str) -> anyhow::Result<Box<dyn Engine>> {
    require_athena(settings, what)?;
    Ok(engine::open(settings, None, &TimeWindow::everything(settings.now), notify(printer)).await?)
}

/// The embedded engine's options: `--source` > `ATHQ_SOURCE` > `source:` > the table's location.
pub fn local_options(settings: &Settings, args: &LocalArgs) -> anyhow::Result<Option<LocalOptions>> {
    if settings.engine != EngineKind::Local {
        if let Some(flag) =
            [(args.source.is_some(), "--source"), (args.all, "--all"), (args.strict, "--strict")]
                .iter()
                .find_map(|(set, flag)| set.then_some(*flag))
        {
            return Err(InputError::new(format!(
                "{flag} is for the embedded engine, and the engine is `athena`"
            ))
            .hint("add --engine local, or set engine: local in athq.yaml")
            .into());
        }
        return Ok(None);
    }
    let source = args
        .source
        .clone()
        .or_else(|| settings.source.clone())
        .or_else(|| settings.table.location.clone())
        .ok_or_else(|| {
            InputError::new("the embedded engine needs flow-log files, and no source is set")
                .hint("pass --source DIR (or s3://bucket/prefix), set ATHQ_SOURCE, or put `source: DIR` in athq.yaml")
        })?;
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Ok(Some(LocalOptions { source, all: args.all, strict: args.strict, threads }))
}

/// Opens the engine the settings choose, reading `local` for `window` on the embedded engine.
pub async fn open_engine(
    settings: &Settings,
    printer: &Printer,
    local: Option<&LocalOptions>,
    window: &TimeWindow,
) -> anyhow::Result<Box<dyn Engine>> {
    Ok(engine::open(settings, local, window, notify(printer)).await?)
}

pub fn run_options(opts: &ExecOptions) -> RunOptions {
    RunOptions {
        reuse_minutes: opts.reuse_minutes,
        timeout: opts.timeout.map(std::time::Duration::from_secs),
        client_request_token: None,
    }
}

/// Runs one statement whose rows do not matter (DDL, partitions); prints its footer.
pub async fn run_statement(
    engine: &dyn Engine,
    sql: &str,
    opts: &ExecOptions,
    printer: &Printer,
) -> anyhow::Result<()> {
    let spinner = Spinner::new(printer.quiet());
    let answer = engine.query(sql, &run_options(opts), &spinner).await.inspect_err(|e| {
        e.footer()
            .map(String::from)
            .or_else(|| engine.footer_on_error())
            .into_iter()
            .for_each(|f| printer.status(&f))
    })?;
    printer.status(&answer.footer);
    Ok(())
}

/// Runs a query on an engine and prints its results (data on stdout or to --output, footer on stderr).
pub async fn run_and_print(
    engine: &dyn Engine,
    sql: &str,
    opts: &ExecOptions,
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let spinner = Spinner::new(printer.quiet());
    let answer = engine.query(sql, &run_options(opts), &spinner).await.inspect_err(|e| {
        e.footer()
            .map(String::from)
            .or_else(|| engine.footer_on_error())
            .into_iter()
            .for_each(|f| printer.status(&f))
    })?;
    print_answer(&answer, out, printer)
}

pub fn print_answer(answer: &engine::Answer, out: &OutputArgs, printer: &Printer) -> anyhow::Result<()> {
    printer.data_to(&crate::output::results::render(&answer.rows, out.format), out.output.as_deref())?;
    printer.status(&answer.footer);
    Ok(())
}

/// The configured table with the command's shape flags applied.
pub fn table_with(settings: &Settings, shape: &TableShapeArgs) -> anyhow::Result<TableProfile> {
    let mut t = settings.table.clone();
    if let Some(f) = shape.format {
        t.format = f;
    }
    if shape.hive {
        t.layout = Layout::Hive;
    }
    if shape.plain {
        t.layout = Layout::Plain;
    }
    if shape.hourly {
        t.hourly = true;
    }
    if shape.daily {
        t.hourly = false;
    }
    if shape.projection {
        t.partitioning = Partitioning::Projection;
    }
    if let Some(p) = shape.partitioning {
        t.partitioning = p;
    }
    if let Some(f) = &shape.fields {
        t.fields = FieldSet::parse(f).map_err(|e| {
            InputError::new(format!("--fields: {e}"))
                .hint("use v2, v3, v4, v5, all, or field names such as \"srcaddr dstaddr bytes\"")
        })?;
    }
    if let Some(l) = &shape.location {
        t.location =
            Some(tbl::validate_location(l).map_err(|e| InputError::new(format!("--location: {e}")))?);
    }
    if let Some(a) = &shape.accounts {
        t.accounts = split_list(a);
        for acct in &t.accounts {
            tbl::validate_account(acct).map_err(|e| InputError::new(format!("--accounts: {e}")))?;
        }
    }
    if let Some(r) = &shape.regions {
        t.regions = split_list(r);
        for region in &t.regions {
            tbl::validate_region(region).map_err(|e| InputError::new(format!("--regions: {e}")))?;
        }
    }
    Ok(t)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The window the flags ask for (the last 24 hours when none is given).
pub fn window_spec(args: &WindowArgs) -> anyhow::Result<WindowSpec> {
    Ok(match (args.days, args.hours, &args.from) {
        (Some(d), _, _) => WindowSpec::Last(SignedDuration::from_hours(i64::from(d) * 24)),
        (_, Some(h), _) => WindowSpec::Last(SignedDuration::from_hours(i64::from(h))),
        (_, _, Some(from)) => WindowSpec::Range {
            from: parse_time(from).map_err(|e| InputError::new(format!("--from: {e}")))?,
            to: args
                .to
                .as_deref()
                .map(parse_time)
                .transpose()
                .map_err(|e| InputError::new(format!("--to: {e}")))?,
        },
        (None, None, None) => WindowSpec::Last(DEFAULT_WINDOW),
    })
}
