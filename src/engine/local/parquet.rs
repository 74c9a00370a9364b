//! Checking a Parquet file before DataFusion opens it: the trailing magic, a footer length that
//! fits the file, and metadata that decodes. A crafted or damaged file is then an error naming
//! the file and the reason (the caller skips it and says so), never a panic deep in a reader.
//! It must not read row data.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use datafusion::parquet::file::metadata::ParquetMetaDataReader;

const MAGIC: &[u8; 4] = b"PAR1";

/// The number of rows the file holds, once its footer has been checked.
pub fn check(path: &Path) -> Result<u64, String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    if size < 12 {
        return Err(format!("{size} bytes is too small for a Parquet file"));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::End(-8)).and_then(|_| file.read_exact(&mut tail)).map_err(|e| e.to_string())?;
    if &tail[4..] != MAGIC {
        return Err("not a Parquet file (no PAR1 at its end)".into());
    }
    let footer = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer + 12 > size {
        return Err(format!(
            "corrupt Parquet footer: its metadata length {footer} exceeds the file's {size} bytes"
        ));
    }
    // The reader is not trusted to fail cleanly on every crafted footer.
    let parsed = std::panic::catch_unwind(|| ParquetMetaDataReader::new().parse_and_finish(&file));
    match parsed {
        Ok(Ok(meta)) => Ok(meta.file_metadata().num_rows().max(0) as u64),
        Ok(Err(e)) => Err(format!("corrupt Parquet metadata: {e}")),
        Err(_) => Err("corrupt Parquet metadata (the decoder gave up)".into()),
    }
}

#[cfg(test)]
mod tests {
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
}
