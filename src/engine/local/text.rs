//! The text reader: AWS's space-separated flow-log files (`.log`, `.log.gz`) into Arrow batches of
//! the columns a query reads. Each file's header line names its fields, so custom orders and mixed
//! formats work; `-` becomes NULL; a line that does not fit its header is skipped and counted.
//! A file that cannot be read whole (truncated gzip, garbage, a header naming no known field or
//! one field twice) yields no rows at all and an error naming the file and the reason, so the
//! caller can skip it and say so. It must not decide which files to read.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Builder, RecordBatch, RecordBatchOptions, StringViewBuilder};
use datafusion::arrow::datatypes::{DataType, SchemaRef};

use super::gunzip;
use crate::logs::flowlogs::fields;

const BATCH_ROWS: usize = 8192;

/// What reading one file found besides its rows.
#[derive(Debug, Default)]
pub struct FileCounts {
    pub records: u64,
    pub corrupt_lines: u64,
    /// `line: why`, for the first corrupt line.
    pub first_corrupt: Option<(u64, String)>,
}

/// A text file's bytes: inflated whole when that is possible (see [`gunzip`]), else a stream
/// that is inflated as it is read.
pub enum Body {
    Whole(Vec<u8>),
    Stream(Box<dyn Read + Send>),
}

/// Compressed files up to this size are read whole, to be inflated in one call.
const MAX_WHOLE_GZ: u64 = 64 << 20;
/// How much text the stream reader parses at a time.
const CHUNK: usize = 1 << 20;

pub fn open(path: &Path) -> std::io::Result<Body> {
    let (file, size) = open_file(path)?;
    body(Box::new(file), size, path)
}

/// A local file, with its size when it is a regular file (not a pipe).
fn open_file(path: &Path) -> std::io::Result<(std::fs::File, Option<u64>)> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().ok().filter(std::fs::Metadata::is_file).map(|m| m.len());
    Ok((file, size))
}

fn empty() -> std::io::Error {
    std::io::Error::other("the file is empty")
}

/// The body of a file of `size` bytes, if known (from disk or S3), gunzipped when its name
/// ends in `.gz`.
pub fn body(mut raw: Box<dyn Read + Send>, size: Option<u64>, path: &Path) -> std::io::Result<Body> {
    // A 0-byte .gz would otherwise read as "unexpected end of file".
    if size == Some(0) {
        return Err(empty());
    }
    if !is_gzip(path) {
        return Ok(Body::Stream(raw));
    }
    let Some(size) = size.filter(|s| *s <= MAX_WHOLE_GZ) else {
        return Ok(Body::Stream(decoded(raw)));
    };
    let mut gz = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    raw.read_to_end(&mut gz)?;
    Ok(match gunzip::inflate_whole(&gz) {
        Some(text) => Body::Whole(text),
        None => Body::Stream(decoded(Box::new(std::io::Cursor::new(gz)))),
    })
}

fn is_gzip(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".gz")
}

/// A streaming gunzip. Multi-member: AWS writes one member a file, but concatenated files stay
/// readable.
fn decoded(raw: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 17, raw)))
}

/// The fields a header line names, each once and at least one known to athq.
pub fn parse_header(line: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(line).map_err(|_| "the header line is not UTF-8".to_string())?;
    let names: Vec<String> = text.split_whitespace().map(String::from).collect();
    if names.is_empty() {
        return Err("the file is empty or its first line is blank".into());
    }
    let mut seen: Vec<&'static fields::Field> = Vec::new();
    for n in &names {
        if let Some(f) = fields::lookup(n) {
            if seen.contains(&f) {
                return Err(format!("the header names the field `{n}` twice"));
            }
            seen.push(f);
        }
    }
    if seen.is_empty() {
        let shown: String = text.trim_end().chars().take(60).flat_map(char::escape_debug).collect();
        return Err(format!("the first line is not a flow-log header (no known field name): `{shown}`"));
    }
    Ok(names)
}

/// A file's fields: those its header line names; or, for deliveries without a header (Firehose),
/// `headerless`, the table's fields, when the first line is not a header but a record of that
/// many fields. Says whether the first line is a header.
pub fn fields_of(first: &[u8], headerless: Option<&[String]>) -> Result<(Vec<String>, bool), String> {
    match (parse_header(first), headerless) {
        (Ok(names), _) => Ok((names, true)),
        (Err(e), Some(fields)) => {
            let n = first.split(|b| *b == b' ').filter(|p| !p.trim_ascii().is_empty()).count();
            if n == fields.len() {
                Ok((fields.to_vec(), false))
            } else {
                Err(format!("{e}; nor is it a record of the table's {} fields ({n} fields)", fields.len()))
            }
        }
        // A first line that starts like a record (a version number, then an account id) is
        // most likely Firehose's headerless delivery read as AWS's.
        (Err(e), None)
            if first
                .split(|b| *b == b' ')
                .next()
                .is_some_and(|v| !v.is_empty() && v.iter().all(u8::is_ascii_digit)) =>
        {
            Err(format!(
                "{e}: a record without a header line, as Kinesis Data Firehose delivers them? set table.layout: firehose"
            ))
        }
        (Err(e), None) => Err(e),
    }
}

/// The fields of a text file (see [`fields_of`]).
pub fn header_of(path: &Path, headerless: Option<&[String]>) -> Result<Vec<String>, String> {
    let mut line = Vec::new();
    // Only the first line: streamed, not inflated whole.
    let (file, size) = open_file(path).map_err(|e| e.to_string())?;
    if size == Some(0) {
        return Err(empty().to_string());
    }
    let raw: Box<dyn Read + Send> = Box::new(file);
    let text = if is_gzip(path) { decoded(raw) } else { raw };
    BufReader::new(text).read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
    fields_of(&line, headerless).map(|(names, _)| names)
}

enum Builder {
    Int(Int64Builder),
    Text(StringViewBuilder),
}

fn builders(schema: &SchemaRef) -> Vec<Builder> {
    schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Int64 => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            _ => Builder::Text(StringViewBuilder::with_capacity(BATCH_ROWS)),
        })
        .collect()
}

fn finish(schema: &SchemaRef, builders: &mut [Builder], rows: usize) -> Result<RecordBatch, String> {
    let arrays: Vec<ArrayRef> = builders
        .iter_mut()
        .map(|b| match b {
            Builder::Int(b) => Arc::new(b.finish()) as ArrayRef,
            Builder::Text(b) => Arc::new(b.finish()) as ArrayRef,
        })
        .collect();
    RecordBatch::try_new_with_options(
        schema.clone(),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| e.to_string())
}

/// Reads flow-log text (a header first, or none with `headerless` fields) into batches.
pub fn read(
    body: Body,
    schema: &SchemaRef,
    headerless: Option<&[String]>,
) -> Result<(Vec<RecordBatch>, FileCounts), String> {
    read_in_chunks(body, schema, headerless, CHUNK)
}

fn read_in_chunks(
    body: Body,
    schema: &SchemaRef,
    headerless: Option<&[String]>,
    chunk: usize,
) -> Result<(Vec<RecordBatch>, FileCounts), String> {
    let (mut buf, mut stream) = match body {
        Body::Whole(text) => (text, None),
        Body::Stream(r) => (Vec::new(), Some(r)),
    };
    let mut end = stream.is_none();
    // Reads more of a stream into `buf`; true at its end (at once for a whole body).
    let mut more = |buf: &mut Vec<u8>| match stream.as_mut() {
        Some(r) => fill(r.as_mut(), buf, chunk).map(|n| n == 0).map_err(|e| e.to_string()),
        None => Ok(true),
    };
    let first = loop {
        if let Some(at) = memchr::memchr(b'\n', &buf) {
            break at + 1;
        }
        if end {
            break buf.len();
        }
        end = more(&mut buf)?;
    };
    if buf.is_empty() {
        return Err("the file is empty".into());
    }
    let (header, has_header) = fields_of(&buf[..first], headerless)?;
    let mut parser = Parser::new(header, has_header, schema);
    // A first line that is a record is read again as one.
    let mut from = if has_header { first } else { 0 };
    loop {
        let used = parser.block(&buf[from..], end)?;
        if end {
            break;
        }
        // What is left is the start of a line the next read completes.
        buf.drain(..from + used);
        from = 0;
        end = more(&mut buf)?;
    }
    parser.finish()
}

/// Appends up to `want` bytes from `r` to `buf`; the number appended (0 at the end).
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<usize> {
    let old = buf.len();
    buf.resize(old + want, 0);
    let mut got = 0;
    while got < want {
        match r.read(&mut buf[old + got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(old + got);
                return Err(e);
            }
        }
    }
    buf.truncate(old + got);
    Ok(got)
}

/// What becomes of one field of a file's lines.
#[derive(Debug, Clone, Copy, Default)]
struct Target {
    /// The output column it feeds, if the query reads it.
    column: Option<usize>,
    /// That column is a number.
    int: bool,
    /// The field is a number in the catalog: checked on every line, read or not.
    numeric: bool,
}

/// Lines into columns, for one file.
struct Parser<'a> {
    schema: &'a SchemaRef,
    fields: usize,
    /// For each field of this file: what becomes of it.
    targets: Vec<Target>,
    /// Fields after the last one read or checked are only counted.
    last_target: usize,
    /// The columns this file has: the others are NULL on every row of it.
    filled: Vec<bool>,
    builders: Vec<Builder>,
    ints: Vec<Option<i64>>,
    texts: Vec<(usize, usize)>,
    rows: usize,
    line_no: u64,
    counts: FileCounts,
    out: Vec<RecordBatch>,
}

impl<'a> Parser<'a> {
    fn new(header: Vec<String>, has_header: bool, schema: &'a SchemaRef) -> Self {
        let targets: Vec<Target> = header
            .iter()
            .map(|h| {
                let Some(field) = fields::lookup(h) else { return Target::default() };
                let col = field.column();
                let column = schema.fields().iter().position(|f| *f.name() == col);
                Target {
                    column,
                    int: column.is_some_and(|i| *schema.field(i).data_type() == DataType::Int64),
                    // Whether a line is a record must not depend on which columns a query reads.
                    numeric: matches!(field.athena_type, "int" | "bigint"),
                }
            })
            .collect();
        let width = schema.fields().len();
        let mut filled = vec![false; width];
        targets.iter().filter_map(|t| t.column).for_each(|col| filled[col] = true);
        Parser {
            schema,
            fields: header.len(),
            last_target: targets.iter().rposition(|t| t.column.is_some() || t.numeric).map_or(0, |i| i + 1),
            targets,
            filled,
            builders: builders(schema),
            ints: vec![None; width],
            texts: vec![(0, 0); width],
            rows: 0,
            line_no: u64::from(has_header),
            counts: FileCounts::default(),
            out: Vec::new(),
        }
    }

    /// Parses the complete lines of `block`, and at the `end` of the file its last line too;
    /// returns how many bytes that was.
    fn block(&mut self, block: &[u8], end: bool) -> Result<usize, String> {
        let used = if end { block.len() } else { memchr::memrchr(b'\n', block).map_or(0, |at| at + 1) };
        let block = &block[..used];
        // UTF-8 is checked once for the block; a block with a bad line is checked line by line.
        let valid = std::str::from_utf8(block).ok();
        let mut start = 0;
        for stop in memchr::memchr_iter(b'\n', block).chain((end && !block.ends_with(b"\n")).then_some(used))
        {
            self.line(&block[start..stop], valid.map(|v| &v[start..stop]))?;
            start = stop + 1;
        }
        Ok(used)
    }

    /// One line without its `\n`; `text` is the same line when known to be UTF-8.
    fn line(&mut self, bytes: &[u8], text: Option<&str>) -> Result<(), String> {
        self.line_no += 1;
        let mut end = bytes.len();
        while end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        if end == 0 {
            return Ok(());
        }
        let bytes = &bytes[..end];
        let (ints, texts) = (&mut self.ints, &mut self.texts);
        let mut bad: Option<&str> = None;
        // Fields are split at every space (two spaces make an empty field, as AWS never writes).
        // Fields are short and spaces dense: a plain scan beats memchr's search here.
        let mut n_spaces = 0usize;
        let mut start = 0usize;
        let mut ended = false;
        for target in &self.targets[..self.last_target] {
            let stop = match bytes[start..].iter().position(|b| *b == b' ') {
                Some(at) => {
                    n_spaces += 1;
                    start + at
                }
                None => {
                    ended = true;
                    bytes.len()
                }
            };
            let piece = &bytes[start..stop];
            if matches!(piece, [b'-']) {
                if let Some(col) = target.column {
                    ints[col] = None;
                    texts[col] = (0, 0);
                }
            } else if target.int || target.numeric {
                match (parse_i64(piece), target.column) {
                    (Some(v), Some(col)) if target.int => ints[col] = Some(v),
                    (Some(_), Some(col)) => texts[col] = (start, stop),
                    (Some(_), None) => {}
                    (None, _) => bad = Some("a number field holds something else"),
                }
            } else if let Some(col) = target.column {
                texts[col] = (start, stop);
            }
            if ended {
                break;
            }
            start = stop + 1;
        }
        if !ended {
            n_spaces += bytes[start..].iter().filter(|b| **b == b' ').count();
        }
        let n_fields = n_spaces + 1;
        if n_fields != self.fields {
            let why = format!("{n_fields} fields where the header names {}", self.fields);
            self.corrupt(why);
            return Ok(());
        }
        if let Some(why) = bad {
            self.corrupt(why.to_string());
            return Ok(());
        }
        let Some(text) = text.map(|t| &t[..end]).or_else(|| std::str::from_utf8(bytes).ok()) else {
            self.corrupt("not UTF-8".into());
            return Ok(());
        };
        for (col, b) in self.builders.iter_mut().enumerate() {
            match b {
                Builder::Int(b) => b.append_option(if self.filled[col] { self.ints[col] } else { None }),
                Builder::Text(b) => {
                    let (s, e) = self.texts[col];
                    if self.filled[col] && e > s {
                        // Fields end at spaces, so these are character boundaries.
                        b.append_value(&text[s..e]);
                    } else {
                        b.append_null();
                    }
                }
            }
        }
        self.rows += 1;
        if self.rows == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn corrupt(&mut self, why: String) {
        self.counts.corrupt_lines += 1;
        self.counts.first_corrupt.get_or_insert((self.line_no, why));
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.rows > 0 {
            self.out.push(finish(self.schema, &mut self.builders, self.rows)?);
            self.counts.records += self.rows as u64;
            self.rows = 0;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(Vec<RecordBatch>, FileCounts), String> {
        self.flush()?;
        Ok((self.out, self.counts))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{Field, Schema};

    #[test]
    fn gzip_with_several_members_is_read_whole() {
        use std::io::Write;
        let text = "srcaddr bytes\n".to_string() + &"10.0.0.1 5\n".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let one = gz.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.log.gz");
        std::fs::write(&path, &one).unwrap();
        assert!(matches!(open(&path).unwrap(), Body::Whole(_)));
        // Two members of the same size: streamed, and the second member's header is a corrupt line.
        std::fs::write(&path, [one.clone(), one].concat()).unwrap();
        assert!(matches!(open(&path).unwrap(), Body::Stream(_)));
        let (batches, counts) = read_path(&path).unwrap();
        assert_eq!(counts.records, 2000);
        assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), 2000);
        assert_eq!(counts.corrupt_lines, 1);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_i64(b"1795132800"), Some(1_795_132_800));
        assert_eq!(parse_i64(b"-5"), Some(-5));
        assert_eq!(parse_i64(b"12a"), None);
        assert_eq!(parse_i64(b""), None);
    }

    #[test]
    fn headerless_files_are_read_by_the_tables_fields() {
        let fields: Vec<String> = ["srcaddr", "dstaddr", "bytes"].iter().map(|s| s.to_string()).collect();
        assert_eq!(fields_of(b"srcaddr dstaddr bytes\n", Some(&fields)).unwrap(), (fields.clone(), true));
        assert_eq!(fields_of(b"10.0.0.1 10.0.0.2 99\n", Some(&fields)).unwrap(), (fields.clone(), false));
        // Not a header and not a record of the table's width: unreadable, with both reasons.
        let e = fields_of(b"10.0.0.1 99\n", Some(&fields)).unwrap_err();
        assert!(e.contains("not a flow-log header") && e.contains("3 fields (2 fields)"), "{e}");
        assert!(fields_of(b"10.0.0.1 10.0.0.2 99\n", None).is_err());
        // The first line of a headerless file is a record like the rest.
        let schema = schema();
        let all: Vec<String> = schema.fields().iter().map(|f| f.name().replace('_', "-")).collect();
        let line = all.iter().map(|_| "-").collect::<Vec<_>>().join(" ");
        let body = format!("{line}\n{line}\n");
        let (batches, counts) = read(Body::Whole(body.into_bytes()), &schema, Some(&all)).unwrap();
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
        assert_eq!(counts.records, 2);
    }

    #[test]
    fn headers_must_name_known_fields_once() {
        assert!(parse_header(b"version srcaddr bytes\n").is_ok());
        assert!(parse_header(b"version srcaddr srcaddr\n").unwrap_err().contains("twice"));
        assert!(parse_header(b"hello garbage here\n").unwrap_err().contains("not a flow-log header"));
        assert!(parse_header(b"\x1f\x8b garbage\n").unwrap_err().contains("not UTF-8"));
        assert!(parse_header(b"\n").is_err());
    }

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("srcaddr", DataType::Utf8View, true),
            Field::new("bytes", DataType::Int64, true),
        ]))
    }

    fn read_path(path: &Path) -> Result<(Vec<RecordBatch>, FileCounts), String> {
        read(open(path).map_err(|e| e.to_string())?, &schema(), None)
    }

    #[test]
    fn truncated_gzip_fails_the_file_and_keeps_nothing() {
        use std::io::Write;
        let text = "srcaddr bytes\n".to_string() + &"10.0.0.1 5\n".repeat(50_000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let full = gz.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.log.gz");
        std::fs::write(&path, &full[..full.len() / 2]).unwrap();
        assert!(read_path(&path).is_err());
        std::fs::write(&path, &full).unwrap();
        let (batches, counts) = read_path(&path).unwrap();
        assert_eq!(counts.records, 50_000);
        assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), 50_000);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any bytes at all: an error or batches, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            let mut input = b"version srcaddr bytes\n".to_vec();
            input.extend(&body);
            let _ = read(Body::Whole(input), &schema(), None);
            let _ = read(Body::Whole(body), &schema(), None);
        }

        /// Read whole or streamed in chunks of any size (a chunk may end inside a line or a
        /// character): the same rows, counts and first corrupt line.
        #[test]
        fn chunks_read_like_the_whole(
            lines in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("10.0.0.1 5".to_string()),
                proptest::strategy::Just("10.0.0.2 -".to_string()),
                proptest::strategy::Just("- 77\r".to_string()),
                proptest::strategy::Just("10.0.0.3 x".to_string()),
                proptest::strategy::Just("10.0.0.4".to_string()),
                proptest::strategy::Just("10.0.0.5 5 5".to_string()),
                proptest::strategy::Just("é\u{1F600}ü 9".to_string()),
                proptest::strategy::Just(String::new()),
                "[0-9a-f. -]{0,12}",
            ], 0..60),
            bad_utf8 in proptest::option::of(0usize..60),
            newline_at_end in proptest::bool::ANY,
            chunk in 1usize..40,
        ) {
            let mut input = b"srcaddr bytes\n".to_vec();
            for (i, line) in lines.iter().enumerate() {
                input.extend(line.as_bytes());
                if bad_utf8 == Some(i) {
                    input.push(0xff);
                }
                if i + 1 < lines.len() || newline_at_end {
                    input.push(b'\n');
                }
            }
            let whole = read(Body::Whole(input.clone()), &schema(), None);
            let streamed = read_in_chunks(Body::Stream(Box::new(std::io::Cursor::new(input))), &schema(), None, chunk);
            match (whole, streamed) {
                (Ok((w, wc)), Ok((s, sc))) => {
                    let rows = |b: &[RecordBatch]| datafusion::arrow::compute::concat_batches(&schema(), b).unwrap();
                    proptest::prop_assert_eq!(rows(&w), rows(&s));
                    proptest::prop_assert_eq!((wc.records, wc.corrupt_lines, wc.first_corrupt), (sc.records, sc.corrupt_lines, sc.first_corrupt));
                }
                (w, s) => proptest::prop_assert_eq!(w.map(|_| ()), s.map(|_| ())),
            }
        }
    }
}
