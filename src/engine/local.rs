//! The embedded engine: the same rendered library over flow-log files, with Apache DataFusion.
//! Sources are a directory, a glob, or an `s3://` prefix (fetched with athq's own AWS settings);
//! files are `.log`/`.log.gz` text with a header line, or `.parquet`, in either AWS layout.
//! The time window selects files by the date in their path before any file is opened. Text is
//! parsed here, not by a CSV reader: each file's header names its fields (custom orders and mixed
//! formats work), `-` placeholders become NULLs, only the columns a query reads are built, and a
//! line that does not fit its header is counted and reported, never silently dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Int64Builder, RecordBatch, RecordBatchOptions, StringArray, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{ColumnarValue, Expr, TableType, Volatility, create_udf};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use ipnet::IpNet;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::engine::{Column, EngineError, Kind, ResultSet};
use crate::render::TimeWindow;
use crate::table::fields;

const BATCH_ROWS: usize = 8192;

/// One log file and the time its path says it covers.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub path: PathBuf,
    pub size: u64,
    pub parquet: bool,
    /// Start and end (exclusive) of the day or hour in its path, if any.
    pub span: Option<(Timestamp, Timestamp)>,
}

/// What a run read, for the footer.
#[derive(Debug, Default)]
pub struct Stats {
    pub files_read: AtomicU64,
    pub files_skipped: AtomicU64,
    pub bytes_read: AtomicU64,
    pub records: AtomicU64,
    pub corrupt_lines: AtomicU64,
    pub first_corrupt: Mutex<Option<String>>,
}

impl Stats {
    fn corrupt(&self, file: &Path, line: u64, why: &str) {
        if self.corrupt_lines.fetch_add(1, Ordering::Relaxed) == 0 {
            *self.first_corrupt.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("{}:{line}: {why}", file.display()));
        }
    }

    /// `records` only where athq parsed them (text); DataFusion reads Parquet itself.
    pub fn footer(&self, elapsed: std::time::Duration, counted_records: bool) -> String {
        let records = match counted_records {
            true => format!(" · {} records", self.records.load(Ordering::Relaxed)),
            false => String::new(),
        };
        let mut s = format!(
            "local · {} file(s) read ({}), {} skipped by date{records} · {:.2} s",
            self.files_read.load(Ordering::Relaxed),
            crate::engine::human_bytes(self.bytes_read.load(Ordering::Relaxed) as i64),
            self.files_skipped.load(Ordering::Relaxed),
            elapsed.as_secs_f64()
        );
        let corrupt = self.corrupt_lines.load(Ordering::Relaxed);
        if corrupt > 0 {
            let first =
                self.first_corrupt.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_default();
            s.push_str(&format!(
                "\nwarning: {corrupt} corrupt line(s) skipped and not counted; first: {first}"
            ));
        }
        s
    }
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

fn is_log(path: &Path) -> Option<bool> {
    let name = path.file_name()?.to_string_lossy();
    if name.ends_with(".log") || name.ends_with(".log.gz") {
        Some(false)
    } else if name.ends_with(".parquet") {
        Some(true)
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
    let err = |e: std::io::Error| EngineError::Config(format!("cannot read {source}: {e}"));
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
        if p.is_file() {
            paths.push(p.to_path_buf());
        } else {
            walk(p, &mut paths).map_err(err)?;
        }
    }
    let mut files: Vec<LogFile> = paths
        .into_iter()
        .filter_map(|path| {
            let parquet = is_log(&path)?;
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            Some(LogFile { span: path_span(&path), path, size, parquet })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Keeps the files whose path date can hold records of the window.
pub fn prune(files: Vec<LogFile>, window: &TimeWindow, stats: &Stats) -> Vec<LogFile> {
    let (lo, hi) = window.delivery_span();
    files
        .into_iter()
        .filter(|f| {
            let keep =
                f.span.is_none_or(|(start, end)| (end > lo || end == start && end >= lo) && start <= hi);
            if !keep {
                stats.files_skipped.fetch_add(1, Ordering::Relaxed);
            }
            keep
        })
        .collect()
}

fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path)?;
    Ok(if path.to_string_lossy().ends_with(".gz") {
        // Multi-member: AWS writes one member a file, but concatenated files stay readable.
        let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 17, file));
        Box::new(BufReader::with_capacity(1 << 17, decoder))
    } else {
        Box::new(BufReader::with_capacity(1 << 17, file))
    })
}

/// The fields named in a text file's header line.
fn header_of(path: &Path) -> Result<Vec<String>, EngineError> {
    let mut line = String::new();
    open(path)
        .and_then(|mut r| r.read_line(&mut line))
        .map_err(|e| EngineError::Config(format!("cannot read {}: {e}", path.display())))?;
    Ok(line.split_whitespace().map(String::from).collect())
}

fn arrow_type(athena_type: &str) -> DataType {
    match athena_type {
        "int" | "bigint" => DataType::Int64,
        _ => DataType::Utf8,
    }
}

/// The table over text files: columns are the union of the files' headers, in catalog order.
#[derive(Debug)]
pub struct TextLogs {
    schema: SchemaRef,
    files: Vec<LogFile>,
    stats: Arc<Stats>,
    partitions: usize,
}

/// The known fields the text files' headers name, in catalog order.
fn header_fields(files: &[LogFile]) -> Result<Vec<&'static fields::Field>, EngineError> {
    let mut present = vec![false; fields::CATALOG.len()];
    for f in files.iter().filter(|f| !f.parquet) {
        for name in header_of(&f.path)? {
            if let Some(i) = fields::lookup(&name).and_then(|fd| fields::CATALOG.iter().position(|c| c == fd))
            {
                present[i] = true;
            }
        }
    }
    Ok(fields::CATALOG.iter().zip(&present).filter(|(_, p)| **p).map(|(f, _)| f).collect())
}

impl TextLogs {
    pub fn new(
        files: Vec<LogFile>,
        columns: &[&'static fields::Field],
        stats: Arc<Stats>,
        partitions: usize,
    ) -> TextLogs {
        let cols: Vec<ArrowField> =
            columns.iter().map(|f| ArrowField::new(f.column(), arrow_type(f.athena_type), true)).collect();
        TextLogs { schema: Arc::new(Schema::new(cols)), files, stats, partitions }
    }
}

#[async_trait]
impl TableProvider for TextLogs {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let schema = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => self.schema.clone(),
        };
        // Spread files over the partitions, largest first, so each gets a similar share of bytes.
        let mut files = self.files.clone();
        files.sort_by_key(|f| std::cmp::Reverse(f.size));
        let n = self.partitions.max(1).min(files.len().max(1));
        let mut groups: Vec<(u64, Vec<LogFile>)> = vec![(0, Vec::new()); n];
        for f in files {
            let g = groups.iter_mut().min_by_key(|(bytes, _)| *bytes).expect("at least one group");
            g.0 += f.size;
            g.1.push(f);
        }
        let parts: Vec<Arc<dyn PartitionStream>> = groups
            .into_iter()
            .map(|(_, files)| {
                Arc::new(TextPartition { schema: schema.clone(), files, stats: self.stats.clone() }) as _
            })
            .collect();
        Ok(Arc::new(StreamingTableExec::try_new(schema, parts, None, vec![], false, limit)?))
    }
}

#[derive(Debug)]
struct TextPartition {
    schema: SchemaRef,
    files: Vec<LogFile>,
    stats: Arc<Stats>,
}

impl PartitionStream for TextPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (tx, rx) = tokio::sync::mpsc::channel::<datafusion::common::Result<RecordBatch>>(4);
        let (schema, files, stats) = (self.schema.clone(), self.files.clone(), self.stats.clone());
        std::thread::spawn(move || {
            for f in &files {
                if let Err(e) = parse_file(f, &schema, &stats, &tx) {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

enum Builder {
    Int(Int64Builder),
    Text(StringBuilder),
}

/// Parses one text file into batches of the projected columns.
fn parse_file(
    file: &LogFile,
    schema: &SchemaRef,
    stats: &Stats,
    tx: &tokio::sync::mpsc::Sender<datafusion::common::Result<RecordBatch>>,
) -> datafusion::common::Result<()> {
    let io = |e: std::io::Error| DataFusionError::Execution(format!("reading {}: {e}", file.path.display()));
    let mut reader = open(&file.path).map_err(io)?;
    stats.files_read.fetch_add(1, Ordering::Relaxed);
    stats.bytes_read.fetch_add(file.size, Ordering::Relaxed);
    let mut line: Vec<u8> = Vec::with_capacity(256);
    if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
        return Ok(());
    }
    let header: Vec<String> = String::from_utf8_lossy(&line).split_whitespace().map(String::from).collect();
    // For each field of this file: the output column it feeds, if the query reads it.
    let targets: Vec<Option<usize>> = header
        .iter()
        .map(|h| {
            let col = fields::lookup(h)?.column();
            schema.fields().iter().position(|f| *f.name() == col)
        })
        .collect();
    let new_builders = || -> Vec<Builder> {
        schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Int64 => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
                _ => Builder::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 16)),
            })
            .collect()
    };
    let mut builders = new_builders();
    let mut filled = vec![false; schema.fields().len()];
    let mut rows = 0usize;
    let mut line_no = 1u64;
    let mut ints: Vec<Option<i64>> = vec![None; schema.fields().len()];
    let mut texts: Vec<(usize, usize)> = vec![(0, 0); schema.fields().len()];

    let flush = |builders: &mut Vec<Builder>, rows: usize| -> datafusion::common::Result<bool> {
        let arrays: Vec<ArrayRef> = builders
            .iter_mut()
            .map(|b| match b {
                Builder::Int(b) => Arc::new(b.finish()) as ArrayRef,
                Builder::Text(b) => Arc::new(b.finish()) as ArrayRef,
            })
            .collect();
        let batch = RecordBatch::try_new_with_options(
            schema.clone(),
            arrays,
            &RecordBatchOptions::new().with_row_count(Some(rows)),
        )?;
        stats.records.fetch_add(rows as u64, Ordering::Relaxed);
        Ok(tx.blocking_send(Ok(batch)).is_ok())
    };

    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        line_no += 1;
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        if end == 0 {
            continue;
        }
        let text = &line[..end];
        filled.iter_mut().for_each(|f| *f = false);
        let mut n_fields = 0;
        let mut bad: Option<&str> = None;
        let mut start = 0;
        for (i, piece) in text.split(|b| *b == b' ').enumerate() {
            let piece_start = start;
            start += piece.len() + 1;
            n_fields = i + 1;
            let Some(Some(col)) = targets.get(i) else { continue };
            filled[*col] = true;
            if piece == b"-" {
                ints[*col] = None;
                texts[*col] = (0, 0);
                continue;
            }
            match schema.field(*col).data_type() {
                DataType::Int64 => match parse_i64(piece) {
                    Some(v) => ints[*col] = Some(v),
                    None => bad = Some("a number field holds something else"),
                },
                _ => texts[*col] = (piece_start, piece_start + piece.len()),
            }
        }
        if n_fields != header.len() {
            stats.corrupt(
                &file.path,
                line_no,
                &format!("{n_fields} fields where the header names {}", header.len()),
            );
            continue;
        }
        if let Some(why) = bad {
            stats.corrupt(&file.path, line_no, why);
            continue;
        }
        if std::str::from_utf8(text).is_err() {
            stats.corrupt(&file.path, line_no, "not UTF-8");
            continue;
        }
        for (col, b) in builders.iter_mut().enumerate() {
            match b {
                Builder::Int(b) => b.append_option(if filled[col] { ints[col] } else { None }),
                Builder::Text(b) => {
                    let (s, e) = texts[col];
                    if filled[col] && e > s {
                        // The whole line was checked as UTF-8 above.
                        b.append_value(std::str::from_utf8(&text[s..e]).unwrap_or_default());
                    } else {
                        b.append_null();
                    }
                }
            }
        }
        rows += 1;
        if rows == BATCH_ROWS {
            if !flush(&mut builders, rows)? {
                return Ok(());
            }
            rows = 0;
        }
    }
    if rows > 0 {
        flush(&mut builders, rows)?;
    }
    Ok(())
}

fn parse_i64(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 18 {
        return std::str::from_utf8(s).ok()?.parse().ok();
    }
    let mut v: i64 = 0;
    for b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(if neg { -v } else { v })
}

fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    s.parse().ok()
}

/// `cidr_contains(cidr, address)`: whether the address lies in the network. An address that does
/// not parse (NODATA rows) gives NULL, as TRY_CAST does on Athena.
fn cidr_contains_udf() -> datafusion::logical_expr::ScalarUDF {
    let fun = Arc::new(|args: &[ColumnarValue]| -> datafusion::common::Result<ColumnarValue> {
        let strings = |a: &ArrayRef| -> datafusion::common::Result<StringArray> {
            let a = datafusion::arrow::compute::cast(a, &DataType::Utf8)?;
            a.as_any()
                .downcast_ref::<StringArray>()
                .cloned()
                .ok_or_else(|| DataFusionError::Execution("cidr_contains takes strings".into()))
        };
        // The network is almost always a constant: parse it once.
        let constant_net = match &args[0] {
            ColumnarValue::Scalar(v) => Some(v.to_string().parse::<IpNet>().ok()),
            ColumnarValue::Array(_) => None,
        };
        let arrays = ColumnarValue::values_to_arrays(args)?;
        let addrs = strings(&arrays[1])?;
        let out: BooleanArray = match constant_net {
            Some(net) => (0..addrs.len())
                .map(|i| {
                    let net = net.as_ref()?;
                    if addrs.is_null(i) {
                        return None;
                    }
                    parse_ip(addrs.value(i)).map(|ip| net.contains(&ip))
                })
                .collect(),
            None => {
                let nets = strings(&arrays[0])?;
                (0..addrs.len())
                    .map(|i| {
                        if nets.is_null(i) || addrs.is_null(i) {
                            return None;
                        }
                        let net: IpNet = nets.value(i).parse().ok()?;
                        parse_ip(addrs.value(i)).map(|ip| net.contains(&ip))
                    })
                    .collect()
            }
        };
        Ok(ColumnarValue::Array(Arc::new(out)))
    });
    create_udf(
        "cidr_contains",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Boolean,
        Volatility::Immutable,
        fun,
    )
}

/// Where the files come from, resolved to local paths (S3 objects are fetched first).
pub struct LocalEngine {
    pub stats: Arc<Stats>,
    started: Instant,
    _downloads: Option<tempfile::TempDir>,
    files: Vec<LogFile>,
    columns: Vec<&'static fields::Field>,
}

impl LocalEngine {
    /// Lists the source and keeps the files the window needs.
    pub async fn open(
        source: &str,
        window: &TimeWindow,
        s3: Option<&aws_sdk_s3::Client>,
    ) -> Result<LocalEngine, EngineError> {
        let started = Instant::now();
        let stats = Arc::new(Stats::default());
        let (files, downloads) = if let Some(rest) = source.strip_prefix("s3://") {
            let s3 = s3.ok_or_else(|| EngineError::Config("an s3:// source needs AWS settings".into()))?;
            let (files, dir) = fetch_s3(s3, rest, window, &stats).await?;
            (files, Some(dir))
        } else {
            (prune(local_files(source)?, window, &stats), None)
        };
        if files.is_empty() {
            return Err(EngineError::Config(format!(
                "no flow-log files (.log, .log.gz, .parquet) in {source} for this window ({} skipped by date)",
                stats.files_skipped.load(Ordering::Relaxed)
            )));
        }
        let columns = header_fields(&files)?;
        Ok(LocalEngine { stats, started, _downloads: downloads, files, columns })
    }

    /// The fields the text files carry (None for Parquet, whose columns DataFusion reads itself).
    pub fn field_set(&self) -> Option<crate::table::FieldSet> {
        if self.columns.is_empty() {
            return None;
        }
        crate::table::FieldSet::from_names(self.columns.iter().map(|f| f.aws_name)).ok()
    }

    /// Runs the rendered SQL over the files registered as `table`.
    pub async fn run(&self, table: &str, sql: &str) -> Result<ResultSet, EngineError> {
        let df_err = |e: DataFusionError| EngineError::Runtime(format!("embedded engine: {e}"));
        let partitions = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let mut config = SessionConfig::new().with_target_partitions(partitions);
        // Trino puts NULLs last in both directions; DataFusion's default puts them first in DESC.
        config.options_mut().sql_parser.default_null_ordering = "nulls_last".into();
        let ctx = SessionContext::new_with_config(config);
        ctx.register_udf(cidr_contains_udf());
        let (parquet, text): (Vec<LogFile>, Vec<LogFile>) =
            self.files.iter().cloned().partition(|f| f.parquet);
        if !parquet.is_empty() && !text.is_empty() {
            return Err(EngineError::Config(
                "the source holds both text and Parquet flow logs: point --source at one of them".into(),
            ));
        }
        if !parquet.is_empty() {
            let paths: Vec<String> = parquet.iter().map(|f| f.path.to_string_lossy().to_string()).collect();
            for f in &parquet {
                self.stats.files_read.fetch_add(1, Ordering::Relaxed);
                self.stats.bytes_read.fetch_add(f.size, Ordering::Relaxed);
            }
            let df = ctx.read_parquet(paths, ParquetReadOptions::default()).await.map_err(df_err)?;
            ctx.register_table(table, df.into_view()).map_err(df_err)?;
        } else {
            let provider = TextLogs::new(text, &self.columns, self.stats.clone(), partitions);
            ctx.register_table(table, Arc::new(provider)).map_err(df_err)?;
        }
        let batches = ctx.sql(sql).await.map_err(df_err)?.collect().await.map_err(df_err)?;
        to_result_set(&batches).map_err(df_err)
    }

    pub fn footer(&self) -> String {
        self.stats.footer(self.started.elapsed(), !self.columns.is_empty())
    }
}

impl crate::engine::Engine for LocalEngine {
    fn dialect(&self) -> crate::render::Dialect {
        crate::render::Dialect::Local
    }

    fn fields(&self) -> Option<crate::table::FieldSet> {
        self.field_set()
    }

    async fn query(
        &self,
        table: &crate::table::TableProfile,
        sql: &str,
        _opts: &crate::engine::RunOptions,
        _progress: &dyn crate::engine::Progress,
    ) -> Result<crate::engine::Answer, EngineError> {
        let rows = self.run(&table.name, sql).await?;
        Ok(crate::engine::Answer { rows, footer: self.footer() })
    }
}

/// Lists an S3 prefix, keeps the window's files, and downloads them to a temporary directory.
async fn fetch_s3(
    s3: &aws_sdk_s3::Client,
    rest: &str,
    window: &TimeWindow,
    stats: &Stats,
) -> Result<(Vec<LogFile>, tempfile::TempDir), EngineError> {
    use crate::engine::athena::aws_error;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let dir = tempfile::tempdir().map_err(|e| EngineError::Runtime(format!("temporary directory: {e}")))?;
    let mut listed = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("ListObjectsV2"))?;
        for obj in page.contents() {
            let Some(key) = obj.key() else { continue };
            let path = dir.path().join(key);
            let Some(parquet) = is_log(&path) else { continue };
            listed.push(LogFile {
                span: path_span(Path::new(key)),
                path,
                size: obj.size().unwrap_or(0) as u64,
                parquet,
            });
        }
    }
    let files = prune(listed, window, stats);
    for f in &files {
        let key = f.path.strip_prefix(dir.path()).unwrap_or(&f.path).to_string_lossy().to_string();
        let obj = s3.get_object().bucket(bucket).key(&key).send().await.map_err(aws_error("GetObject"))?;
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
    Ok((files, dir))
}

/// Arrow batches as athq's text rows (timestamps as Athena prints them).
fn to_result_set(batches: &[RecordBatch]) -> datafusion::common::Result<ResultSet> {
    let Some(first) = batches.first() else { return Ok(ResultSet::default()) };
    let columns = first
        .schema()
        .fields()
        .iter()
        .map(|f| Column {
            name: f.name().clone(),
            kind: match f.data_type() {
                t if t.is_integer() => Kind::Integer,
                t if t.is_floating() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) => {
                    Kind::Float
                }
                DataType::Boolean => Kind::Boolean,
                _ => Kind::Text,
            },
        })
        .collect();
    let options = FormatOptions::default().with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.3f"));
    let mut rows = Vec::new();
    for batch in batches {
        let formatters = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()?;
        for r in 0..batch.num_rows() {
            rows.push(
                batch
                    .columns()
                    .iter()
                    .zip(&formatters)
                    .map(|(c, f)| (!c.is_null(r)).then(|| f.value(r).to_string()))
                    .collect(),
            );
        }
    }
    Ok(ResultSet { columns, rows })
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
    fn gzip_with_several_members_is_read_whole() {
        use std::io::Write;
        let text = "version srcaddr\n2 10.0.0.1\n".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let one = gz.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.log.gz");
        std::fs::write(&path, [one.clone(), one].concat()).unwrap();
        let mut read = String::new();
        std::io::Read::read_to_string(&mut open(&path).unwrap(), &mut read).unwrap();
        assert_eq!(read, text.repeat(2));
    }

    #[test]
    fn addresses() {
        assert_eq!(parse_ip("10.20.0.1"), Some("10.20.0.1".parse().unwrap()));
        assert_eq!(parse_ip("2001:db8::1"), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(parse_ip("10.20.0"), None);
        assert_eq!(parse_ip("10.20.0.256"), None);
        assert_eq!(parse_ip("-"), None);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_i64(b"1795132800"), Some(1_795_132_800));
        assert_eq!(parse_i64(b"-5"), Some(-5));
        assert_eq!(parse_i64(b"12a"), None);
        assert_eq!(parse_i64(b""), None);
    }
}
