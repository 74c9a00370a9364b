//! One thin module per subcommand: each maps its arguments onto the library modules and prints
//! through the printer. Shared here: applying table-shape flags and turning window flags into a
//! window, so every command that takes them reads them the same way. Per-command flag resolution
//! lives in `resolve`.

pub mod cancel;
pub mod check;
pub mod cost;
pub mod exec;
pub mod history;
pub mod list;
pub mod partitions;
pub mod render;
pub mod report;
pub mod resolve;
pub mod results;
pub mod run;
pub mod sample;
#[cfg(feature = "aws")]
pub mod saved;
pub mod shell_integration;
pub mod show;
pub mod status;
pub mod table;

use std::sync::Arc;

use crate::cli::{Command, OutputArgs};
use crate::engine::Notify;
#[cfg(feature = "aws")]
use crate::engine::aws::Aws;
use crate::engine::local::LocalOptions;
use crate::engine::{self, Engine, EngineError, Footer};
use crate::error::InputError;
use crate::output::chart::ChartOptions;
use crate::output::results::{TABLE_ROWS, Writer};
use crate::output::{Out, Printer, Spinner};
use crate::render::TimeWindow;
use crate::settings::{EngineKind, Settings};

pub use resolve::{DEFAULT_WINDOW, table_with};

pub async fn exec(command: Command, settings: Settings, printer: Printer) -> anyhow::Result<()> {
    match command {
        Command::List(args) => list::exec(&settings, &printer, args),
        Command::Show(args) => show::exec(&settings, &printer, args),
        Command::Render(args) => render::exec(&settings, &printer, args),
        Command::Table(cmd) => table::exec(&settings, &printer, cmd).await,
        Command::Partitions(cmd) => partitions::exec(&settings, &printer, cmd).await,
        Command::Run(args) => run::exec(&settings, &printer, args).await,
        Command::Sample(args) => sample::exec(&settings, &printer, args),
        #[cfg(feature = "aws")]
        Command::Saved(cmd) => saved::exec(&settings, &printer, cmd).await,
        #[cfg(not(feature = "aws"))]
        Command::Saved(_) => Err(engine::without_aws("athq saved").into()),
        Command::Exec(args) => exec::exec(&settings, &printer, args).await,
        // The shell runs commands, so it sits above them: `lib::run` sends `athq sql` there.
        Command::Sql(_) => anyhow::bail!("athq sql is started by lib::run, not as a command"),
        Command::Status(args) => status::exec(&settings, &printer, args).await,
        Command::History(args) => history::exec(&settings, &printer, args).await,
        Command::Results(args) => results::exec(&settings, &printer, args).await,
        Command::Cancel(args) => cancel::exec(&settings, &printer, args).await,
        Command::Check(args) => check::exec(&settings, &printer, args),
        Command::Report(args) => report::exec(&settings, &printer, args).await,
        Command::Completions(args) => shell_integration::completions(&settings, &printer, args),
        Command::Man(args) => shell_integration::man(&printer, args),
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
#[cfg(feature = "aws")]
pub async fn aws(settings: &Settings, printer: &Printer) -> anyhow::Result<Aws> {
    Ok(Aws::connect(settings, notify(printer)).await?)
}

/// The Athena engine, for commands that only Athena can serve.
pub async fn athena(settings: &Settings, printer: &Printer, what: &str) -> anyhow::Result<Box<dyn Engine>> {
    require_athena(settings, what)?;
    Ok(engine::open(settings, None, &TimeWindow::everything(settings.now), notify(printer)).await?)
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

/// Runs one statement whose rows do not matter (DDL, partitions); prints its footer.
pub async fn run_statement(
    engine: &dyn Engine,
    sql: &str,
    opts: &crate::engine::RunOptions,
    printer: &Printer,
) -> anyhow::Result<()> {
    let answer = query(engine, sql, opts, printer).await?;
    printer.status(&answer.footer.text);
    Ok(())
}

/// Runs a statement with a spinner; a failed one's footer (what it scanned or read) goes to stderr.
async fn query(
    engine: &dyn Engine,
    sql: &str,
    opts: &crate::engine::RunOptions,
    printer: &Printer,
) -> anyhow::Result<engine::Answer> {
    let spinner = Spinner::new(printer.quiet());
    engine.query(sql, opts, &spinner).await.map_err(|e| failed(engine, e, printer))
}

/// A failed statement's footer (what it scanned or read) goes to stderr.
fn failed(engine: &dyn Engine, e: EngineError, printer: &Printer) -> anyhow::Error {
    e.footer()
        .map(String::from)
        .or_else(|| engine.footer_on_error())
        .into_iter()
        .for_each(|f| printer.status(&f));
    e.into()
}

/// Runs a query on an engine and prints its results as they arrive (data on stdout or to
/// --output, footer on stderr).
pub async fn run_and_print(
    engine: &dyn Engine,
    sql: &str,
    opts: &crate::engine::RunOptions,
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    run_and_count(engine, sql, opts, out, printer).await.map(|_| ())
}

/// `run_and_print`, answering how many rows it printed.
pub async fn run_and_count(
    engine: &dyn Engine,
    sql: &str,
    opts: &crate::engine::RunOptions,
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<u64> {
    let spinner = Spinner::new(printer.quiet());
    let mut writer = writer(out, &spinner)?;
    let result = engine.query_into(sql, opts, &spinner, &mut writer).await;
    let rows = writer.written();
    let footer = finish(engine, result, writer, printer)?;
    printer.status(&footer);
    Ok(rows)
}

/// Prints rows athq made itself (not a statement's), in the chosen format.
pub fn print_rows(rows: engine::ResultSet, out: &OutputArgs, printer: &Printer) -> anyhow::Result<()> {
    use crate::engine::RowSink;
    let spinner = Spinner::new(true);
    let mut writer = writer(out, &spinner)?;
    writer.columns(&rows.columns)?;
    writer.rows(rows.rows)?;
    let _ = printer;
    writer.finish()?.commit()
}

/// Prints a finished Athena execution's results as they are read.
pub async fn print_results(
    engine: &dyn Engine,
    id: &str,
    out: &OutputArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let spinner = Spinner::new(true);
    let mut writer = writer(out, &spinner)?;
    let result = engine.results_into(id, &mut writer).await;
    let footer = finish(engine, result, writer, printer)?;
    printer.status(&footer);
    Ok(())
}

fn writer(out: &OutputArgs, spinner: &Spinner) -> anyhow::Result<Writer<Out>> {
    let chart = chart_options(out)?;
    let dest = Out::open(out.output.as_deref())?;
    Ok(Writer::new(dest, out.format, TABLE_ROWS).before_first_write(spinner.clearer()).chart(chart))
}

/// `--y`, `--ascii`, `--tz` and the terminal's width (COLUMNS, else 80, when not a terminal).
fn chart_options(out: &OutputArgs) -> anyhow::Result<ChartOptions> {
    let tz = jiff::tz::TimeZone::get(&out.tz).map_err(|_| {
        InputError::new(format!("--tz {}: not a time zone", out.tz))
            .hint("use an IANA name such as UTC or Europe/Berlin")
    })?;
    let width = terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(80);
    Ok(ChartOptions { y: out.y.clone(), ascii: out.ascii, tz, width })
}

/// Ends the output: a failed statement's footer (what it scanned or read) goes to stderr and a
/// file being written is removed; a sink's own error (stdout closed) comes back as it was.
fn finish(
    engine: &dyn Engine,
    result: Result<Footer, EngineError>,
    writer: Writer<Out>,
    printer: &Printer,
) -> anyhow::Result<String> {
    match result {
        Ok(Footer { text: footer, .. }) => {
            writer.finish()?.commit()?;
            Ok(footer)
        }
        Err(EngineError::Output(e)) => Err(e),
        Err(e) => Err(failed(engine, e, printer)),
    }
}
