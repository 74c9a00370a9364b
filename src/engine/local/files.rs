//! Finding flow-log files and dating them: a directory walked to any depth or a glob (an `s3://`
//! prefix is listed by `s3`, its objects dated the same way); the time each
//! file covers, read from AWS's file name or its folders; and the window's choice of files, made
//! before any file is opened. It must not parse file contents.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::engine::EngineError;
use crate::logs::flowlogs::SERVICE;
use crate::render::TimeWindow;

/// How a log file is stored, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.log` or `.log.gz`: space-separated text.
    Text,
    Parquet,
}

/// One log file and the time its path says it covers.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub path: PathBuf,
    pub size: u64,
    pub kind: FileKind,
    /// Start and end (exclusive) of the day or hour in its path, or the delivery stamp in its name.
    pub span: Option<(Timestamp, Timestamp)>,
}

pub use crate::table::layout::{partition_values, path_span};

pub fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy();
    let firehose = crate::table::layout::firehose_stamp(&name).is_some()
        && (name.ends_with(".gz") || !name.contains('.'));
    if name.ends_with(".log") || name.ends_with(".log.gz") || firehose {
        Some(FileKind::Text)
    } else if name.ends_with(".parquet") {
        Some(FileKind::Parquet)
    } else {
        None
    }
}

/// Sets the table's layout from the files' paths, when none was configured: AWS's Hive-compatible
/// folders (`aws-account-id=…/…/year=2026/month=11/day=21[/hour=10]/`), or Kinesis Data Firehose's
/// objects (stamped names, no `vpcflowlogs` folder), so the partition columns are the ones Athena's
/// table for those files has.
pub fn detect_layout(table: &mut crate::table::TableProfile, files: &[LogFile]) {
    use crate::table::{Granularity, Layout};
    let parts = |f: &LogFile| -> Vec<String> {
        f.path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
    };
    let hive = |p: &[String]| p.iter().any(|c| c.starts_with("aws-account-id=") || c.starts_with("year="));
    if !files.is_empty() && files.iter().all(|f| hive(&parts(f))) {
        table.layout = Layout::Hive;
        let hourly = files.iter().any(|f| parts(f).iter().any(|c| c.starts_with("hour=")));
        table.granularity = if hourly { Granularity::Hour } else { Granularity::Day };
        return;
    }
    let firehose = |f: &LogFile| {
        let p = parts(f);
        !p.iter().any(|c| c == SERVICE)
            && p.last()
                .is_some_and(|n| crate::table::layout::firehose_stamp(n).is_some() && !n.ends_with(".log.gz"))
    };
    if !files.is_empty() && files.iter().all(firehose) {
        table.layout = Layout::Firehose;
        table.granularity = Granularity::Hour;
    }
}

/// `*` matches within a path part, `**` any number of parts.
fn glob_match(pattern: &[&str], path: &[&str]) -> bool {
    fn part(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => part(&p[1..], s) || (!s.is_empty() && part(p, &s[1..])),
            (Some(b'?'), Some(_)) => part(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => part(&p[1..], &s[1..]),
            _ => false,
        }
    }
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            glob_match(&pattern[1..], path) || (!path.is_empty() && glob_match(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => part(p.as_bytes(), s.as_bytes()) && glob_match(&pattern[1..], &path[1..]),
        _ => false,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        if ty.is_dir() {
            walk(&entry.path(), out)?;
        } else if ty.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Every log file under a directory (any depth), or matching a glob.
pub fn local_files(source: &str) -> Result<Vec<LogFile>, EngineError> {
    let err = |e: std::io::Error| EngineError::NoData {
        message: format!("cannot read --source {source}: {e}"),
        hint: "point --source (or ATHQ_SOURCE, or `source:` in athq.yaml) at a folder of flow-log files"
            .into(),
    };
    let mut paths = Vec::new();
    if source.contains(['*', '?']) {
        let parts: Vec<&str> = source.split('/').collect();
        let fixed = parts.iter().take_while(|p| !p.contains(['*', '?'])).count();
        let base = if fixed == 0 { ".".to_string() } else { parts[..fixed].join("/") };
        let base = if base.is_empty() { "/".to_string() } else { base };
        walk(Path::new(&base), &mut paths).map_err(err)?;
        paths.retain(|p| {
            let s = p.to_string_lossy();
            let rel: Vec<&str> = s.strip_prefix(&format!("{base}/")).unwrap_or(&s).split('/').collect();
            glob_match(&parts[fixed..], &rel)
        });
    } else {
        let p = Path::new(source);
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut paths).map_err(err)?,
            // A single file, or anything readable like one (a pipe).
            Ok(_) => paths.push(p.to_path_buf()),
            Err(e) => return Err(err(e)),
        }
    }
    let mut files: Vec<LogFile> = paths
        .into_iter()
        .filter_map(|path| {
            let kind = kind_of(&path)?;
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            Some(LogFile { span: path_span(&path), path, size, kind })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What the window kept, and what it left out.
#[derive(Debug, Default)]
pub struct Selection {
    pub kept: Vec<LogFile>,
    pub skipped: u64,
    /// The earliest and latest time any listed file's path says it covers.
    pub dated: Option<(Timestamp, Timestamp)>,
}

/// Keeps the files whose path date can hold records of the window (all of them with `all`).
pub fn select(files: Vec<LogFile>, window: &TimeWindow, all: bool) -> Selection {
    let (lo, hi) = window.delivery_span();
    let mut out = Selection::default();
    for f in files {
        if let Some((start, end)) = f.span {
            let (a, b) = out.dated.unwrap_or((start, end));
            out.dated = Some((a.min(start), b.max(end)));
        }
        let keep =
            all || f.span.is_none_or(|(start, end)| (end > lo || end == start && end >= lo) && start <= hi);
        if keep {
            out.kept.push(f);
        } else {
            out.skipped += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let m = |p: &str, s: &str| {
            glob_match(&p.split('/').collect::<Vec<_>>(), &s.split('/').collect::<Vec<_>>())
        };
        assert!(m("**/*.log.gz", "a/b/c.log.gz"));
        assert!(m("2026/11/2?/*.gz", "2026/11/21/x.gz"));
        assert!(!m("2026/11/2?/*.gz", "2026/11/21/x.log"));
        assert!(m("**", "a"));
    }

    #[test]
    fn selection_reports_what_it_left_and_the_dates_found() {
        let file = |p: &str| LogFile {
            span: path_span(Path::new(p)),
            path: p.into(),
            size: 1,
            kind: FileKind::Text,
        };
        let files = vec![file("/l/2026/01/01/a.log"), file("/l/2026/01/03/b.log"), file("/l/x.log")];
        let now = crate::render::window::parse_time("2026-11-22T10:00:00Z").unwrap();
        let window =
            TimeWindow::resolve(&crate::render::WindowSpec::Last(jiff::SignedDuration::from_hours(24)), now)
                .unwrap();
        let s = select(files.clone(), &window, false);
        assert_eq!((s.kept.len(), s.skipped), (1, 2));
        let (a, b) = s.dated.unwrap();
        assert_eq!(
            (a.to_string().as_str(), b.to_string().as_str()),
            ("2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z")
        );
        assert_eq!(select(files, &window, true).kept.len(), 3);
    }
}
