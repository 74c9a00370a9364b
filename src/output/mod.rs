//! Output: the one printer every command writes through. Data goes to stdout and nothing else
//! does; status goes to stderr and is silenced by `--quiet`. A closed stdout pipe (`athq … | head`)
//! is not an error: it ends the command quietly with exit 0.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Table, presets};

/// Raised when stdout was closed by the reader.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed")]
pub struct ClosedPipe;

#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
    color: bool,
}

/// Whether to colour stderr: `--color`, then NO_COLOR (any non-empty value), then whether stderr
/// is a terminal that is not `dumb`.
pub fn stderr_color(when: crate::cli::ColorWhen, env: &dyn Fn(&str) -> Option<String>) -> bool {
    use crate::cli::ColorWhen;
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            env("NO_COLOR").is_none_or(|v| v.is_empty())
                && env("TERM").is_none_or(|t| t != "dumb")
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
        }
    }
}

/// `error:`, `warning:` and `hint:` at the start of a line, in bold colours.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.split_inclusive('\n') {
        let styled = [("error:", "1;31"), ("warning:", "1;33"), ("hint:", "1;36")]
            .iter()
            .find_map(|(p, code)| line.strip_prefix(p).map(|rest| format!("\x1b[{code}m{p}\x1b[0m{rest}")));
        out.push_str(styled.as_deref().unwrap_or(line));
    }
    out
}

impl Printer {
    pub fn new(quiet: bool) -> Printer {
        Printer { quiet, color: false }
    }

    /// Colours the prefixes of status lines (`warning:`).
    pub fn with_color(self, color: bool) -> Printer {
        Printer { color, ..self }
    }

    /// Writes data to stdout.
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        let mut out = io::stdout().lock();
        let res = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        match res {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
            other => Ok(other?),
        }
    }

    /// Writes a line of data to stdout.
    pub fn line(&self, text: &str) -> anyhow::Result<()> {
        self.data(&format!("{text}\n"))
    }

    /// Writes a status line to stderr, unless quiet.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            let text = if self.color { paint(text) } else { text.to_string() };
            let _ = writeln!(io::stderr().lock(), "{text}");
        }
    }
}

/// A plain, aligned text table (no borders), the same on a terminal and in a pipe.
pub fn text_table(header: &[&str], rows: Vec<Vec<String>>, right_aligned: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.set_header(header.iter().copied().map(Cell::new));
    for row in rows {
        t.add_row(row.into_iter().enumerate().map(|(i, c)| {
            let cell = Cell::new(c);
            if right_aligned.contains(&i) { cell.set_alignment(CellAlignment::Right) } else { cell }
        }));
    }
    let text = t.to_string();
    // comfy-table pads each line to the table width; trailing spaces only get in the way.
    let mut out: String =
        text.lines().map(|l| l.trim_end().trim_start_matches(' ')).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}

pub mod chart;
pub mod results;

/// A spinner on stderr showing a query's state, elapsed time and data scanned; only on a terminal.
pub struct Spinner {
    bar: Option<indicatif::ProgressBar>,
}

impl Spinner {
    pub fn new(quiet: bool) -> Spinner {
        use std::io::IsTerminal;
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Spinner { bar }
    }

    /// Clears the spinner's line: before data is written to a terminal it shares.
    pub fn clearer(&self) -> impl FnOnce() + Send + 'static {
        let bar = self.bar.clone();
        move || {
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        }
    }
}

impl crate::engine::Progress for Spinner {
    fn update(&self, state: crate::engine::State, elapsed: std::time::Duration, scanned: i64) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{state} {:.1} s · {} scanned",
                elapsed.as_secs_f64(),
                crate::engine::human_bytes(scanned)
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Printer {
    pub fn quiet(&self) -> bool {
        self.quiet
    }
}

/// Where streamed data goes: stdout, or a file that appears whole (written beside it under a
/// temporary name, renamed when complete, removed if the command fails).
pub enum Out {
    Stdout(io::BufWriter<io::Stdout>),
    File { file: io::BufWriter<std::fs::File>, tmp: std::path::PathBuf, path: std::path::PathBuf, done: bool },
}

impl Out {
    pub fn open(path: Option<&std::path::Path>) -> anyhow::Result<Out> {
        match path {
            None => Ok(Out::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout()))),
            Some(p) => {
                let tmp = p.with_extension("athq-partial");
                let file = std::fs::File::create(&tmp)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display()))?;
                Ok(Out::File { file: io::BufWriter::new(file), tmp, path: p.to_path_buf(), done: false })
            }
        }
    }

    /// Puts a file in place; stdout has nothing left to do.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if let Out::File { file, tmp, path, done } = &mut self {
            let cannot = |e: io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
            file.flush().map_err(cannot)?;
            std::fs::rename(&*tmp, &*path).map_err(cannot)?;
            *done = true;
        }
        Ok(())
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        if let Out::File { tmp, done: false, .. } = self {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Stdout(w) => w.write(buf),
            Out::File { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Stdout(w) => w.flush(),
            Out::File { file, .. } => file.flush(),
        }
    }
}
