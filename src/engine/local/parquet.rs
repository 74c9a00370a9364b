//! Checking a Parquet file before DataFusion opens it: the trailing magic, a footer length that
//! fits the file, and metadata that decodes. A crafted or damaged file is then an error naming
//! the file and the reason (the caller skips it and says so), never a panic deep in a reader.
//! It must not read row data.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use datafusion::parquet::arrow::parquet_to_arrow_schema;
use datafusion::parquet::file::metadata::ParquetMetaDataReader;

const MAGIC: &[u8; 4] = b"PAR1";

/// The number of rows the file holds, once its footer has been checked.
pub fn check(path: &Path) -> Result<u64, String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let mut read = |at: u64, len: u64| {
        let mut buf = vec![0u8; len as usize];
        file.seek(SeekFrom::Start(at)).and_then(|_| file.read_exact(&mut buf)).map_err(|e| e.to_string())?;
        Ok::<_, String>(buf)
    };
    let tail = if size >= 12 { read(size - 8, 8)? } else { Vec::new() };
    let footer = footer_length(size, &tail)?;
    decode(&read(size - 8 - footer, footer)?)
}

/// The same check for an S3 object, from its footer (one ranged GET of its tail, usually).
#[cfg(feature = "aws")]
pub async fn check_remote(
    store: &crate::engine::local::s3::S3Store,
    key: &str,
    size: u64,
) -> Result<u64, String> {
    // The reader fetches the footer again with the column chunks: only the 8 bytes that give its
    // length are read beyond it here.
    decode(&remote_footer(store, key, size, 8).await?)
}

/// The bytes an estimate reads from an object's end in its one GET for the footer.
#[cfg(feature = "aws")]
const FOOTER_GUESS: u64 = 64 * 1024;

/// An S3 object's footer metadata (checked for its magic and length): one ranged GET of its last
/// `guess` bytes, a second only for a footer that is larger.
#[cfg(feature = "aws")]
async fn remote_footer(
    store: &crate::engine::local::s3::S3Store,
    key: &str,
    size: u64,
    guess: u64,
) -> Result<bytes::Bytes, String> {
    use datafusion::object_store::ObjectStoreExt;
    let path = datafusion::object_store::path::Path::from(key);
    let read = |range: std::ops::Range<u64>| {
        let path = path.clone();
        async move { store.get_range(&path, range).await.map_err(|e| e.to_string()) }
    };
    // One GET of the object's tail holds the footer of nearly every file; a second reads the
    // rest of a larger one.
    let first = size.saturating_sub(guess.max(8));
    let tail = if size >= 12 { read(first..size).await? } else { bytes::Bytes::new() };
    let footer = footer_length(size, &tail[tail.len().saturating_sub(8)..])?;
    let start = size - 8 - footer;
    let metadata = if start >= first {
        tail.slice((start - first) as usize..tail.len() - 8)
    } else {
        let head = read(start..first).await?;
        let mut whole = Vec::with_capacity(footer as usize);
        whole.extend_from_slice(&head);
        whole.extend_from_slice(&tail[..tail.len() - 8]);
        bytes::Bytes::from(whole)
    };
    Ok(metadata)
}

/// The compressed bytes of the column chunks of `columns` in an S3 object (a column's name as the
/// table has it: `log_status` matches a file's `log-status` or `log_status`), from its footer.
#[cfg(feature = "aws")]
pub async fn column_bytes(
    store: &crate::engine::local::s3::S3Store,
    key: &str,
    size: u64,
    columns: &[String],
) -> Result<u64, String> {
    let metadata = remote_footer(store, key, size, FOOTER_GUESS).await?;
    let footer = metadata.len() as u64;
    let meta = quietly(|| ParquetMetaDataReader::decode_metadata(&metadata).map_err(|e| e.to_string()))
        .ok_or("corrupt Parquet metadata (the decoder gave up)")??;
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let wanted: Vec<String> = columns.iter().map(|c| norm(c)).collect();
    let mut bytes = footer + 8;
    for rg in meta.row_groups() {
        for col in rg.columns() {
            if wanted.contains(&norm(&col.column_path().string())) {
                bytes += col.compressed_size().max(0) as u64;
            }
        }
    }
    Ok(bytes)
}

/// The metadata length the last 8 bytes give, once they and the size are checked.
fn footer_length(size: u64, tail: &[u8]) -> Result<u64, String> {
    if size < 12 || tail.len() != 8 {
        return Err(format!("{size} bytes is too small for a Parquet file"));
    }
    if &tail[4..] != MAGIC {
        return Err("not a Parquet file (no PAR1 at its end)".into());
    }
    let footer = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer + 12 > size {
        return Err(format!(
            "corrupt Parquet footer: its metadata length {footer} exceeds the file's {size} bytes"
        ));
    }
    Ok(footer)
}

/// Decodes the footer's metadata; the number of rows it declares.
fn decode(metadata: &[u8]) -> Result<u64, String> {
    // The readers are not trusted to fail cleanly on every crafted footer: the metadata, and the
    // Arrow schema writers embed in it (decoded by DataFusion too, and it can panic on a bad one).
    let parsed = quietly(|| {
        let meta = ParquetMetaDataReader::decode_metadata(metadata).map_err(|e| e.to_string())?;
        let fm = meta.file_metadata();
        let schema =
            parquet_to_arrow_schema(fm.schema_descr(), fm.key_value_metadata()).map_err(|e| e.to_string())?;
        Ok::<_, String>((fm.num_rows().max(0) as u64, schema))
    });
    match parsed {
        Some(Ok((rows, schema))) => fits(&schema).map(|()| rows),
        Some(Err(e)) => Err(format!("corrupt Parquet metadata: {e}")),
        None => Err("corrupt Parquet metadata (the decoder gave up)".into()),
    }
}

/// Whether a file's columns belong in a flow-log table: at least one is a flow-log field, and
/// each that is has the field's kind of type (a number or text). Anything else would add rows
/// of NULLs to the table, or fail the whole query when its column is cast.
fn fits(schema: &datafusion::arrow::datatypes::Schema) -> Result<(), String> {
    use datafusion::arrow::datatypes::DataType;
    let mut known = 0;
    for col in schema.fields() {
        let Some(field) = crate::logs::flowlogs::fields::lookup(col.name()) else { continue };
        known += 1;
        let number = matches!(field.athena_type, "int" | "bigint");
        let ok = match col.data_type() {
            t if t.is_integer() => number,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => !number,
            _ => false,
        };
        if !ok {
            return Err(format!(
                "its column `{}` is {}, where a flow-log table has {}",
                col.name(),
                col.data_type(),
                field.athena_type
            ));
        }
    }
    if known == 0 {
        let names: Vec<&str> = schema.fields().iter().take(8).map(|f| f.name().as_str()).collect();
        return Err(format!("none of its columns is a flow-log field ({})", names.join(", ")));
    }
    Ok(())
}

/// Runs `f`, turning a panic into `None` without printing it: a damaged file is reported by the
/// caller as unreadable, not as a crash message.
fn quietly<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(f).ok();
    std::panic::set_hook(previous);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_footer_longer_than_the_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        let mut bytes = b"PAR1".to_vec();
        bytes.extend(vec![0u8; 5000]);
        bytes.extend((1u32 << 31).to_le_bytes());
        bytes.extend(b"PAR1");
        std::fs::write(&path, &bytes).unwrap();
        assert!(check(&path).unwrap_err().contains("exceeds"), "{:?}", check(&path));
        std::fs::write(&path, b"PAR1").unwrap();
        assert!(check(&path).is_err());
        std::fs::write(&path, b"PAR1\0\0\0\0\0\0\0\0\x04\0\0\0PAR1").unwrap();
        assert!(check(&path).unwrap_err().starts_with("corrupt Parquet metadata"));
    }

    /// A small valid flow-log Parquet file (300 rows, three row groups).
    pub(crate) fn valid_file() -> Vec<u8> {
        use std::sync::Arc;

        use datafusion::arrow::array::{Int64Array, RecordBatch, StringArray};
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        use datafusion::parquet::arrow::ArrowWriter;
        use datafusion::parquet::file::properties::WriterProperties;
        let schema = Arc::new(Schema::new(vec![
            Field::new("srcaddr", DataType::Utf8, true),
            Field::new("bytes", DataType::Int64, true),
        ]));
        let addrs: Vec<Option<String>> =
            (0..300).map(|i| (i % 7 != 0).then(|| format!("10.0.{}.{}", i / 250, i % 250))).collect();
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(addrs)),
                Arc::new(Int64Array::from((0..300).map(|i| i * 1000).collect::<Vec<i64>>())),
            ],
        )
        .unwrap();
        let mut out = Vec::new();
        let props = WriterProperties::builder().set_max_row_group_row_count(Some(100)).build();
        let mut w = ArrowWriter::try_new(&mut out, schema, Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        out
    }

    /// Checks the file, then reads every batch as DataFusion's reader would.
    fn check_and_read(bytes: &[u8]) -> Result<usize, String> {
        use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.parquet");
        std::fs::write(&path, bytes).unwrap();
        check(&path)?;
        let file = std::fs::File::open(&path).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| e.to_string())?
            .build()
            .map_err(|e| e.to_string())?;
        let mut rows = 0;
        for b in reader {
            rows += b.map_err(|e| e.to_string())?.num_rows();
        }
        Ok(rows)
    }

    #[test]
    fn the_valid_file_reads_whole() {
        assert_eq!(check_and_read(&valid_file()), Ok(300));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// Flipped bytes or a cut anywhere: the check answers (an error, or the row count), and
        /// never panics. Damage inside data pages can still pass it; the engine survives a reader
        /// that panics on those (see `local::tests`).
        #[test]
        fn the_check_never_panics_on_damaged_files(
            flips in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 1u8..=255), 0..6),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            do_cut in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = valid_file();
            for (at, xor) in &flips {
                let i = at.index(bytes.len());
                bytes[i] ^= xor;
            }
            if do_cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f.parquet");
            std::fs::write(&path, &bytes).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&path));
            proptest::prop_assert!(outcome.is_ok(), "the check panicked on a damaged file");
            if outcome.unwrap().is_ok() {
                // What passes the check has metadata a reader can open.
                let file = std::fs::File::open(&path).unwrap();
                proptest::prop_assert!(
                    datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).is_ok()
                );
            }
        }
    }
}
