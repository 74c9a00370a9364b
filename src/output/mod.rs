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
/// When to colour what athq writes to a terminal (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal and NO_COLOR is not set
    #[default]
    Auto,
    Always,
    Never,
}

pub fn stderr_color(when: ColorWhen, env: &dyn Fn(&str) -> Option<String>) -> bool {
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

/// Text for a terminal: control characters a message may quote (from SQL, a file, AWS) are
/// shown escaped (`\u{1b}`), so they cannot move the cursor, recolour or clear the screen. Line
/// breaks and tabs stay.
pub fn visible(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
            let text = visible(text);
            let text = if self.color { paint(&text) } else { text };
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

/// Where streamed data goes: stdout, or `--output`. A regular file (new or existing) appears
/// whole: it is written beside the target under a name no other run shares, given the target's
/// mode, and renamed over it when complete (removed if the command fails). A symlink is followed
/// to what it names. Anything else (a device such as /dev/null, a FIFO, a socket) is written in
/// place: replacing it would destroy it.
pub enum Out {
    Stdout(io::BufWriter<io::Stdout>),
    File { file: io::BufWriter<std::fs::File>, tmp: std::path::PathBuf, path: std::path::PathBuf, done: bool },
    Direct { file: io::BufWriter<std::fs::File>, path: std::path::PathBuf },
}

/// Temporary names made by this process, so two outputs in one run never share one either.
static TMP_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// Temporary files being written, for removal if a signal ends the process before they are done.
static PARTIAL: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

fn partial_files() -> std::sync::MutexGuard<'static, Vec<std::path::PathBuf>> {
    PARTIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn remove_partial_files() {
    for path in partial_files().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

impl Out {
    /// Opens stdout or `path`. Everything that could stop the write later is checked now (the
    /// folder exists and takes new files, an existing file is writable), before any query runs.
    pub fn open(path: Option<&std::path::Path>) -> anyhow::Result<Out> {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let Some(given) = path else {
            return Ok(Out::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())));
        };
        let cannot = |e: io::Error| anyhow::anyhow!("cannot write {}: {e}", given.display());
        // What the name finally means: a symlink's target is what the user asked to write.
        let target = match std::fs::canonicalize(given) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => given.to_path_buf(),
            Err(e) => return Err(cannot(e)),
        };
        let existing = match std::fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot(e)),
        };
        if let Some(m) = &existing {
            if m.is_dir() {
                return Err(cannot(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory")));
            }
            // Opening for writing (without truncating) is the permission check; for a device or
            // a FIFO it is the file written.
            let file = std::fs::OpenOptions::new().write(true).open(&target).map_err(cannot)?;
            if !m.is_file() {
                return Ok(Out::Direct { file: io::BufWriter::new(file), path: given.to_path_buf() });
            }
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // A new file gets what the umask allows, as `>` would; an existing one keeps its mode.
        let mode = existing.as_ref().map_or(0o666, |m| m.permissions().mode() & 0o7777);
        let mut attempt = 0;
        let (file, tmp) = loop {
            let seq = TMP_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = dir.join(format!(".{name}.{}-{seq}.athq-partial", std::process::id()));
            match std::fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp) {
                Ok(f) => break (f, tmp),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(cannot(e)),
            }
        };
        if existing.is_some() {
            // The umask narrowed it at creation; the target's own mode is what the file keeps.
            let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
        }
        partial_files().push(tmp.clone());
        crate::engine::stop::on_forced_exit(remove_partial_files);
        Ok(Out::File { file: io::BufWriter::new(file), tmp, path: target, done: false })
    }

    /// Puts a file in place; stdout has nothing left to do.
    pub fn commit(mut self) -> anyhow::Result<()> {
        match &mut self {
            Out::Stdout(_) => {}
            Out::File { file, tmp, path, done } => {
                let cannot = |e: io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
                file.flush().map_err(cannot)?;
                std::fs::rename(&*tmp, &*path).map_err(cannot)?;
                partial_files().retain(|p| p != tmp);
                *done = true;
            }
            Out::Direct { file, path } => {
                file.flush().map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            }
        }
        Ok(())
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        if let Out::File { tmp, done: false, .. } = self {
            let _ = std::fs::remove_file(&tmp);
            partial_files().retain(|p| p != tmp);
        }
    }
}

/// A write error that names the file (the temporary one by the name the user gave).
fn naming(path: &std::path::Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Stdout(w) => w.write(buf),
            Out::File { file, path, .. } | Out::Direct { file, path } => {
                file.write(buf).map_err(|e| naming(path, e))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Stdout(w) => w.flush(),
            Out::File { file, path, .. } | Out::Direct { file, path } => {
                file.flush().map_err(|e| naming(path, e))
            }
        }
    }
}
