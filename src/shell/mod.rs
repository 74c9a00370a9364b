//! `athq sql`: an interactive SQL shell on Athena or the embedded engine. Statements end at `;`
//! and may span lines; line editing, history (in the user's data directory) and completion come
//! from rustyline. Ctrl-C while a statement runs stops it (StopQueryExecution on Athena) and
//! returns to the prompt; at the prompt it clears the line; Ctrl-D or `\q` leaves. With input
//! that is not a terminal, statements run in order and the first failure ends the session with
//! its exit code, as `athq exec` would.

pub mod complete;
pub mod input;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

use crate::cli::{ExecOptions, LocalArgs, OutputArgs, RunArgs, SqlArgs};
use crate::commands::resolve::{check_exec_options, local_options, run_options};
use crate::commands::{cost, open_engine, run_and_print};
use crate::engine::local::LocalOptions;
use crate::engine::{Engine, RunOptions, Stop};
use crate::error::InputError;
use crate::output::Printer;
use crate::output::results::OutputFormat;
use crate::render::TimeWindow;
use crate::settings::{EngineKind, Settings};
use complete::{Completions, ShellHelper};
use input::{Buffer, Input};

const HELP: &str = "\
Statements end with `;` and may span lines. Ctrl-C stops a running statement (at the prompt it
clears the line); Ctrl-D or \\q leaves. Tab completes names.

  \\q                          leave (also quit, exit)
  \\help                       this text
  \\format [FORMAT]            how rows print: table, csv, json, ndjson, markdown, chart
  \\engine [local [SOURCE]]    run on the embedded engine, over SOURCE or the configured source
  \\engine athena              run on Athena
  \\run QUERY [ARGS…]          run a saved query as `athq run` does: \\run reject-top --days 3
  \\list                       the saved queries
";

/// `\run`'s arguments, parsed as `athq run`'s.
#[derive(Debug, Parser)]
#[command(name = "\\run", no_binary_name = true, disable_version_flag = true)]
struct RunLine {
    #[command(flatten)]
    run: RunArgs,
}

/// Where history is kept: `ATHQ_HISTORY`, else `$XDG_DATA_HOME/athq/history`, else
/// `~/.local/share/athq/history` (`%APPDATA%\athq\history` on Windows).
pub fn history_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = env(crate::env_vars::ATHQ_HISTORY).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let data = env("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").filter(|p| !p.is_empty()).map(|h| PathBuf::from(h).join(".local/share")))
        .or_else(|| env("APPDATA").filter(|p| !p.is_empty()).map(PathBuf::from))?;
    Some(data.join("athq").join("history"))
}

/// The engine statements run on, and how their rows print.
struct Session {
    settings: Settings,
    printer: Printer,
    engine: Box<dyn Engine>,
    /// The source, on the embedded engine.
    local: Option<LocalOptions>,
    format: OutputFormat,
    exec: ExecOptions,
    /// `--estimate`: each statement's estimate is printed instead of running it.
    estimate: bool,
}

impl Session {
    async fn open(
        settings: Settings,
        printer: Printer,
        local: &LocalArgs,
        exec: ExecOptions,
    ) -> anyhow::Result<Session> {
        check_exec_options(&settings, &exec)?;
        let mut local = local_options(&settings, local)?;
        if let Some(l) = local.as_mut() {
            l.all = true;
        }
        let engine =
            open_engine(&settings, &printer, local.as_ref(), &TimeWindow::everything(settings.now)).await?;
        Ok(Session { settings, printer, engine, local, format: OutputFormat::Table, exec, estimate: false })
    }

    fn engine_name(&self) -> &'static str {
        match self.settings.engine {
            EngineKind::Local => "local",
            EngineKind::Athena => "athena",
        }
    }

    fn run_options(&self) -> RunOptions {
        let mut opts = run_options(&self.exec);
        if self.settings.engine == EngineKind::Local {
            opts.reuse_minutes = None;
        }
        opts
    }

    fn completions(&self, queries: &[String]) -> Completions {
        let t = &self.engine.table().unwrap_or_else(|| self.settings.table.clone());
        let fields = self.engine.fields().unwrap_or_else(|| t.fields.clone());
        Completions {
            tables: vec![t.name.clone(), format!("{}.{}", t.database, t.name)],
            columns: fields
                .fields()
                .iter()
                .map(|f| f.column())
                .chain(t.partition_columns().iter().map(|p| p.name.to_string()))
                .collect(),
            functions: self.engine.function_names(),
            queries: queries.to_vec(),
        }
    }

    async fn statement(&self, sql: &str) -> anyhow::Result<()> {
        let out = OutputArgs::stdout(self.format);
        let result = match self.estimate {
            true => cost::show(self.engine.as_ref(), sql, &self.run_options(), &out, &self.printer).await,
            false => run_and_print(self.engine.as_ref(), sql, &self.run_options(), &out, &self.printer).await,
        };
        // A stop that ended this statement is spent: the next one runs.
        Stop::reset();
        result
    }

    /// `\engine local [SOURCE]` or `\engine athena`: the new engine, or the old one kept on error.
    async fn switch(&mut self, args: &str) -> anyhow::Result<()> {
        let words = input::words(args).map_err(InputError::new)?;
        let Some(kind) = words.first() else {
            self.printer.line(&format!("engine: {}", self.engine_name()))?;
            return Ok(());
        };
        let kind = EngineKind::from_str(kind, true).map_err(|_| {
            InputError::new(format!("`{kind}` is not an engine"))
                .hint("\\engine local [SOURCE] or \\engine athena")
        })?;
        let mut settings = self.settings.clone();
        settings.engine = kind;
        let local = LocalArgs { source: words.get(1).cloned(), ..LocalArgs::default() };
        if kind == EngineKind::Athena && local.source.is_some() {
            return Err(InputError::new("a source is for the embedded engine")
                .hint("\\engine athena takes no source")
                .into());
        }
        let next = Session::open(settings, self.printer, &local, self.exec.clone()).await?;
        *self = Session { format: self.format, estimate: self.estimate, ..next };
        self.printer.status(&format!("engine: {}", self.engine_name()));
        Ok(())
    }

    /// `\run QUERY ARGS…`, as `athq run` with this session's engine (and source, unless given).
    async fn run_saved(&self, args: &str) -> anyhow::Result<()> {
        let words = input::words(args).map_err(InputError::new)?;
        let mut line = match RunLine::try_parse_from(words) {
            Ok(l) => l,
            Err(e) if !e.use_stderr() => return self.printer.data(&e.to_string()),
            Err(e) => {
                return Err(
                    InputError::new(e.to_string().trim_start_matches("error: ").trim().to_string()).into()
                );
            }
        };
        if line.run.output.format == OutputFormat::Table && !args.contains("--format") {
            line.run.output.format = self.format;
        }
        line.run.cost.estimate |= self.estimate;
        if let (None, Some(l)) = (&line.run.local.source, &self.local) {
            line.run.local.source = Some(l.source.clone());
        }
        let result = crate::commands::run::exec(&self.settings, &self.printer, line.run).await;
        Stop::reset();
        result
    }

    async fn command(&mut self, name: &str, args: &str) -> anyhow::Result<()> {
        match name {
            "help" | "?" | "h" => self.printer.data(HELP),
            "format" if args.is_empty() => {
                self.printer.line(&format!("format: {}", format_name(self.format)))
            }
            "format" => {
                self.format = OutputFormat::from_str(args, true).map_err(|_| {
                    InputError::new(format!("`{args}` is not an output format"))
                        .hint("table, csv, json, ndjson or markdown")
                })?;
                Ok(())
            }
            "engine" => self.switch(args).await,
            "run" => self.run_saved(args).await,
            "list" => {
                crate::commands::list::exec(&self.settings, &self.printer, crate::cli::ListArgs { tag: None })
            }
            other => Err(InputError::new(format!("unknown command \\{other}"))
                .hint("\\help lists the commands")
                .into()),
        }
    }
}

fn format_name(f: OutputFormat) -> String {
    f.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

/// The largest history file the shell reads (10,000 entries are kept; a larger file is not one
/// athq wrote).
const MAX_HISTORY_BYTES: u64 = 16 << 20;

/// Whether history can live at `path`: a regular file (or none yet, in a folder that can be made)
/// that can be appended to and is small enough to read. Devices, FIFOs and folders are refused, so
/// that `/dev/zero` is never read into memory.
fn usable_history(path: &std::path::Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err("not a regular file".into()),
        Ok(m) if m.len() > MAX_HISTORY_BYTES => {
            return Err(format!("larger than {} MiB", MAX_HISTORY_BYTES >> 20));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
        }
        Err(e) => return Err(e.to_string()),
    }
    std::fs::OpenOptions::new().append(true).create(true).open(path).map(drop).map_err(|e| e.to_string())
}

/// Runs the shell until `\q`, Ctrl-D or the end of its input.
pub async fn run(settings: Settings, printer: Printer, args: SqlArgs) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    // Only what a person typed is history, not a script's statements.
    let history = if interactive { history_path(&|k| std::env::var(k).ok()) } else { None };
    let queries: Vec<String> = crate::library::Library::load(&settings.library_dirs)
        .map(|lib| lib.iter().map(|q| q.name.clone()).collect())
        .unwrap_or_default();
    let settings = cost::apply(&settings, &args.cost)?;
    let mut session = Session::open(settings, printer, &args.local, args.exec).await?;
    session.format = args.format;
    session.estimate = args.cost.estimate;
    if interactive {
        Stop::interactive();
    }
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .max_history_size(10_000)?
        .build();
    let mut editor: Editor<ShellHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(ShellHelper { completions: session.completions(&queries) }));
    let history = history.and_then(|path| match usable_history(&path) {
        Ok(()) => Some(path),
        Err(why) => {
            printer.status(&format!("warning: history is not kept: {}: {why}", path.display()));
            None
        }
    });
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    if interactive {
        printer.status(&format!(
            "athq sql on {} (\\help for help, \\q to leave){}",
            session.engine_name(),
            history.as_ref().map(|p| format!("; history in {}", p.display())).unwrap_or_default()
        ));
    }
    let mut buffer = Buffer::default();
    let mut typed = String::new();
    loop {
        let first = format!("athq:{}> ", session.engine_name());
        let prompt = if buffer.is_empty() { first } else { format!("{:>w$} ", "->", w = first.len() - 1) };
        let line = match tokio::task::block_in_place(|| editor.readline(&prompt)) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                typed.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        if !typed.is_empty() {
            typed.push('\n');
        }
        typed.push_str(&line);
        let inputs = buffer.push_line(&line);
        if !inputs.is_empty() || buffer.is_empty() {
            let entry = std::mem::take(&mut typed);
            if !entry.trim().is_empty() {
                let _ = editor.add_history_entry(entry.trim());
                if let Some(path) = &history {
                    let _ = editor.append_history(path);
                }
            }
        }
        for input in inputs {
            let result = match input {
                Input::Quit => return Ok(()),
                Input::Statement(sql) => session.statement(&sql).await,
                Input::Command { name, args } => {
                    let r = session.command(&name, &args).await;
                    if name == "engine"
                        && let Some(h) = editor.helper_mut()
                    {
                        h.completions = session.completions(&queries);
                    }
                    r
                }
            };
            if let Err(e) = result {
                if !interactive {
                    return Err(e);
                }
                use std::io::Write as _;
                let _ = std::io::stderr().write_all(crate::error::report(&e).as_bytes());
            }
        }
    }
    if interactive {
        if !buffer.pending().is_empty() {
            printer.status("warning: the unfinished statement was discarded (a statement ends with `;`)");
        }
        return Ok(());
    }
    // A script's last statement may leave out its `;` (as with `athq exec --file`); one whose
    // string or comment never closes is an error, not dropped.
    match buffer.finish() {
        Ok(Some(Input::Statement(sql))) => session.statement(&sql).await,
        Ok(_) => Ok(()),
        Err(e) => Err(InputError::new(e).hint("close it, and end the statement with `;`").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_lives_in_the_data_directory() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let p = |pairs| history_path(&env(pairs));
        assert_eq!(p(&[("ATHQ_HISTORY", "/x/h"), ("HOME", "/home/u")]), Some("/x/h".into()));
        assert_eq!(p(&[("XDG_DATA_HOME", "/d"), ("HOME", "/home/u")]), Some("/d/athq/history".into()));
        assert_eq!(p(&[("HOME", "/home/u")]), Some("/home/u/.local/share/athq/history".into()));
        assert_eq!(p(&[("XDG_DATA_HOME", ""), ("HOME", "")]), None);
    }
}
