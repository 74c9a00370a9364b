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

use crate::table::fields;

const BATCH_ROWS: usize = 8192;

/// What reading one file found besides its rows.
#[derive(Debug, Default)]
pub struct FileCounts {
    pub records: u64,
    pub corrupt_lines: u64,
    /// `line: why`, for the first corrupt line.
    pub first_corrupt: Option<(u64, String)>,
}

pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path)?;
    // A 0-byte .gz would otherwise read as "unexpected end of file".
    if file.metadata().is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(std::io::Error::other("the file is empty"));
    }
    Ok(decoded(Box::new(file), path))
}

/// Lines of a file's bytes (from disk or S3), gunzipped when its name ends in `.gz`.
pub fn decoded(raw: Box<dyn Read + Send>, path: &Path) -> Box<dyn BufRead + Send> {
    if path.to_string_lossy().ends_with(".gz") {
        // Multi-member: AWS writes one member a file, but concatenated files stay readable.
        let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 17, raw));
        Box::new(BufReader::with_capacity(1 << 17, decoder))
    } else {
        Box::new(BufReader::with_capacity(1 << 17, raw))
    }
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
    open(path).and_then(|mut r| r.read_until(b'\n', &mut line)).map_err(|e| e.to_string())?;
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
    reader: &mut dyn BufRead,
    schema: &SchemaRef,
    headerless: Option<&[String]>,
) -> Result<(Vec<RecordBatch>, FileCounts), String> {
    let io = |e: std::io::Error| e.to_string();
    let mut counts = FileCounts::default();
    let mut out = Vec::new();
    let mut line: Vec<u8> = Vec::with_capacity(256);
    if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
        return Err("the file is empty".into());
    }
    let (header, has_header) = fields_of(&line, headerless)?;
    // A first line that is a record is read again as one.
    let first = if has_header { Vec::new() } else { std::mem::take(&mut line) };
    let mut chained = std::io::Cursor::new(first).chain(reader);
    let reader = &mut chained;
    // For each field of this file: the output column it feeds, if the query reads it, and
    // whether that column is a number.
    let targets: Vec<Option<(usize, bool)>> = header
        .iter()
        .map(|h| {
            let col = fields::lookup(h)?.column();
            let i = schema.fields().iter().position(|f| *f.name() == col)?;
            Some((i, *schema.field(i).data_type() == DataType::Int64))
        })
        .collect();
    // Fields after the last one read are only counted.
    let last_target = targets.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
    let width = schema.fields().len();
    // The columns this file has: the others are NULL on every row of it.
    let mut filled = vec![false; width];
    targets.iter().flatten().for_each(|(col, _)| filled[*col] = true);
    let mut builders = builders(schema);
    let mut ints: Vec<Option<i64>> = vec![None; width];
    let mut texts: Vec<(usize, usize)> = vec![(0, 0); width];
    let mut rows = 0usize;
    let mut line_no = u64::from(has_header);
    let corrupt = |counts: &mut FileCounts, line: u64, why: String| {
        counts.corrupt_lines += 1;
        counts.first_corrupt.get_or_insert((line, why));
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
        let mut bad: Option<&str> = None;
        // Fields are split at every space (two spaces make an empty field, as AWS never writes).
        let mut spaces = memchr::memchr_iter(b' ', text);
        let mut n_spaces = 0usize;
        let mut start = 0usize;
        for target in &targets[..last_target] {
            let stop = match spaces.next() {
                Some(at) => {
                    n_spaces += 1;
                    at
                }
                None => text.len(),
            };
            let piece = &text[start..stop];
            if let Some((col, int)) = *target {
                if piece == b"-" {
                    ints[col] = None;
                    texts[col] = (0, 0);
                } else if int {
                    match parse_i64(piece) {
                        Some(v) => ints[col] = Some(v),
                        None => bad = Some("a number field holds something else"),
                    }
                } else {
                    texts[col] = (start, stop);
                }
            }
            if stop == text.len() {
                break;
            }
            start = stop + 1;
        }
        let n_fields = n_spaces + spaces.count() + 1;
        if n_fields != header.len() {
            let why = format!("{n_fields} fields where the header names {}", header.len());
            corrupt(&mut counts, line_no, why);
            continue;
        }
        if let Some(why) = bad {
            corrupt(&mut counts, line_no, why.to_string());
            continue;
        }
        if std::str::from_utf8(text).is_err() {
            corrupt(&mut counts, line_no, "not UTF-8".into());
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
            out.push(finish(schema, &mut builders, rows)?);
            counts.records += rows as u64;
            rows = 0;
        }
    }
    if rows > 0 {
        out.push(finish(schema, &mut builders, rows)?);
        counts.records += rows as u64;
    }
    Ok((out, counts))
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
        let (batches, counts) = read(&mut body.as_bytes(), &schema, Some(&all)).unwrap();
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
        let mut reader = open(path).map_err(|e| e.to_string())?;
        read(&mut reader, &schema(), None)
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
            let _ = read(&mut &input[..], &schema(), None);
            let _ = read(&mut &body[..], &schema(), None);
        }
    }
}
