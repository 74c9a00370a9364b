//! Finding flow-log files and dating them: a directory walked to any depth, a glob, or an `s3://`
//! prefix listed (and the window's objects fetched, with athq's own AWS settings); the time each
//! file covers, read from AWS's file name or its folders; and the window's choice of files, made
//! before any file is opened. It must not parse file contents.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::engine::EngineError;
use crate::engine::aws::aws_error;
use crate::render::TimeWindow;
use crate::table::{PartitionColumn, PartitionKind};

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

/// The time a log file covers: the delivery stamp in AWS's file name (`…_20261122T1005Z_…`), else
/// the day (or hour) of its folder (`…/2026/11/22[/10]/` or `…/year=2026/month=11/day=22[/hour=10]/`).
pub fn path_span(path: &Path) -> Option<(Timestamp, Timestamp)> {
    name_stamp(path).map(|t| (t, t)).or_else(|| folder_span(path))
}

/// The `YYYYMMDDTHHMMZ` part of an AWS flow-log file name.
fn name_stamp(path: &Path) -> Option<Timestamp> {
    let name = path.file_name()?.to_string_lossy();
    name.split('_').find_map(|part| {
        let b = part.as_bytes();
        let ok = b.len() == 14
            && b[8] == b'T'
            && b[13] == b'Z'
            && b[..8].iter().chain(&b[9..13]).all(u8::is_ascii_digit);
        if !ok {
            return None;
        }
        let n = |r: std::ops::Range<usize>| part[r].parse::<i16>().ok();
        let date = jiff::civil::Date::new(n(0..4)?, n(4..6)? as i8, n(6..8)? as i8).ok()?;
        let at = date.at(n(9..11)? as i8, n(11..13)? as i8, 0, 0);
        at.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    })
}

fn folder_span(path: &Path) -> Option<(Timestamp, Timestamp)> {
    let parts: Vec<String> =
        path.parent()?.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let num = |s: &str, key: &str, width: usize| -> Option<i16> {
        let v = s.strip_prefix(key).and_then(|r| r.strip_prefix('=')).unwrap_or(s);
        (v.len() == width && v.bytes().all(|b| b.is_ascii_digit())).then(|| v.parse().ok())?
    };
    for i in 0..parts.len() {
        let (Some(y), Some(m), Some(d)) = (
            num(&parts[i], "year", 4),
            parts.get(i + 1).and_then(|p| num(p, "month", 2)),
            parts.get(i + 2).and_then(|p| num(p, "day", 2)),
        ) else {
            continue;
        };
        let date = jiff::civil::Date::new(y, m as i8, d as i8).ok()?;
        let hour = parts.get(i + 3).and_then(|p| num(p, "hour", 2)).filter(|h| (0..24).contains(h));
        let start = date.at(hour.unwrap_or(0) as i8, 0, 0, 0).to_zoned(TimeZone::UTC).ok()?.timestamp();
        let len = if hour.is_some() {
            jiff::SignedDuration::from_hours(1)
        } else {
            jiff::SignedDuration::from_hours(24)
        };
        return Some((start, start.checked_add(len).ok()?));
    }
    None
}

/// The values the table's partition columns take for a file, read from its path the way Athena
/// reads its folders: account and region from `…/<account>/vpcflowlogs/<region>/…` or
/// `aws-account-id=…/…/aws-region=…` (else from AWS's file name), time from the date folders (else
/// the delivery stamp in the name). A value the path does not carry is NULL.
pub fn partition_values(path: &Path, cols: &[PartitionColumn]) -> Vec<Option<String>> {
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let keyed = |keys: &[&str]| {
        parts.iter().find_map(|p| {
            let (k, v) = p.split_once('=')?;
            keys.contains(&k).then(|| v.to_string())
        })
    };
    let plain = parts.iter().position(|p| p == "vpcflowlogs").filter(|&i| i > 0 && i + 1 < parts.len() - 1);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let from_name: Vec<&str> = name.split('_').collect();
    let named = (from_name.len() > 3 && from_name[1] == "vpcflowlogs").then_some(&from_name);
    let account = keyed(&["aws-account-id"])
        .or_else(|| plain.map(|i| parts[i - 1].clone()))
        .or_else(|| named.map(|n| n[0].to_string()));
    let region = keyed(&["aws-region"])
        .or_else(|| plain.map(|i| parts[i + 1].clone()))
        .or_else(|| named.map(|n| n[2].to_string()));
    let at = folder_span(path)
        .or_else(|| name_stamp(path).map(|t| (t, t)))
        .map(|(t, _)| t.to_zoned(TimeZone::UTC).datetime());
    cols.iter()
        .map(|c| match c.kind {
            PartitionKind::Account => account.clone(),
            PartitionKind::Region => region.clone(),
            PartitionKind::Service => {
                Some(keyed(&["aws-service", "service"]).unwrap_or_else(|| "vpcflowlogs".into()))
            }
            _ => at.and_then(|t| c.kind.time_value(t)),
        })
        .collect()
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy();
    if name.ends_with(".log") || name.ends_with(".log.gz") {
        Some(FileKind::Text)
    } else if name.ends_with(".parquet") {
        Some(FileKind::Parquet)
    } else {
        None
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

/// Lists an S3 prefix, keeps the window's files, and downloads them under `dir`.
pub async fn fetch_s3(
    s3: &aws_sdk_s3::Client,
    url: &str,
    window: &TimeWindow,
    all: bool,
    dir: &Path,
) -> Result<Selection, EngineError> {
    let rest = url.strip_prefix("s3://").unwrap_or(url);
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let mut listed = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("S3", "ListObjectsV2", bucket))?;
        for obj in page.contents() {
            let Some(key) = obj.key() else { continue };
            let path = dir.join(key);
            let Some(kind) = kind_of(&path) else { continue };
            listed.push(LogFile {
                span: path_span(Path::new(key)),
                path,
                size: obj.size().unwrap_or(0) as u64,
                kind,
            });
        }
    }
    let selection = select(listed, window, all);
    for f in &selection.kept {
        let key = f.path.strip_prefix(dir).unwrap_or(&f.path).to_string_lossy().to_string();
        let obj = s3.get_object().bucket(bucket).key(&key).send().await.map_err(aws_error(
            "S3",
            "GetObject",
            &format!("s3://{bucket}/{key}"),
        ))?;
        let bytes = obj
            .body
            .collect()
            .await
            .map_err(|e| EngineError::Runtime(format!("reading s3://{bucket}/{key}: {e}")))?;
        if let Some(parent) = f.path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| EngineError::Runtime(e.to_string()))?;
        }
        std::fs::write(&f.path, bytes.into_bytes()).map_err(|e| EngineError::Runtime(e.to_string()))?;
    }
    Ok(selection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_either_layout() {
        let day =
            |p: &str| path_span(Path::new(p)).map(|(s, e)| (s.to_string(), e.duration_since(s).as_hours()));
        assert_eq!(
            day("/x/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/22/a.log.gz"),
            Some(("2026-11-22T00:00:00Z".into(), 24))
        );
        assert_eq!(
            day(
                "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=r/year=2026/month=11/day=22/hour=07/a.parquet"
            ),
            Some(("2026-11-22T07:00:00Z".into(), 1))
        );
        assert_eq!(day("/tmp/flows.log"), None);
        assert_eq!(
            day("/x/2026/11/22/123456789012_vpcflowlogs_us-east-1_fl-0a1b_20261122T1005Z_0f3a9c1d.log.gz"),
            Some(("2026-11-22T10:05:00Z".into(), 0))
        );
        assert_eq!(day("/x/2026/13/01/a.log"), None);
    }

    #[test]
    fn partition_values_come_from_the_path_as_athena_reads_folders() {
        let t = |layout, hourly, partitioning| {
            let mut t = crate::table::TableProfile::new_default();
            (t.layout, t.hourly, t.partitioning) = (layout, hourly, partitioning);
            t.partition_columns()
        };
        use crate::table::{Layout, Partitioning};
        let plain = Path::new(
            "/x/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/22/111122223333_vpcflowlogs_eu-west-1_fl-1_20261122T1005Z_ab.log.gz",
        );
        let v = partition_values(plain, &t(Layout::Plain, false, Partitioning::Projection));
        assert_eq!(v, [Some("111122223333".into()), Some("eu-west-1".into()), Some("2026/11/22".into())]);
        let hive = Path::new(
            "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=21/hour=07/a.log.gz",
        );
        let v = partition_values(hive, &t(Layout::Hive, true, Partitioning::Managed));
        let v: Vec<&str> = v.iter().map(|x| x.as_deref().unwrap_or("NULL")).collect();
        assert_eq!(v, ["111122223333", "vpcflowlogs", "us-east-1", "2026", "11", "21", "07"]);
        // A file on its own: what AWS's name says, hourly from its delivery stamp.
        let flat = Path::new("/tmp/111122223333_vpcflowlogs_us-east-2_fl-1_20261122T1005Z_ab.log.gz");
        let v = partition_values(flat, &t(Layout::Plain, true, Partitioning::Projection));
        assert_eq!(v, [Some("111122223333".into()), Some("us-east-2".into()), Some("2026/11/22/10".into())]);
        assert_eq!(
            partition_values(Path::new("/tmp/x.log"), &t(Layout::Plain, false, Partitioning::Projection)),
            [None, None, None]
        );
    }

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
