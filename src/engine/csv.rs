//! RFC 4180 CSV as Athena writes results: every value quoted, NULL as an unquoted empty field.
//! The reader keeps that distinction; the writer is for `--format csv`.

type Row = Vec<Option<String>>;

/// Parses CSV text into rows. An unquoted empty field is `None` (NULL); `""` is an empty string.
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = Reader::default();
    let mut rows = reader.feed(text.as_bytes())?;
    rows.extend(reader.finish()?);
    Ok(rows)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum At {
    #[default]
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of a doubled quote.
    QuotedQuote,
    /// A carriage return ended a row; a line feed right after it belongs to it.
    Cr,
}

/// An incremental CSV reader: fed the bytes as they arrive (in chunks split anywhere, even inside
/// a UTF-8 character), it returns the rows each chunk completes.
#[derive(Debug, Default)]
pub struct Reader {
    at: At,
    row: Row,
    field: Vec<u8>,
    quoted: bool,
    line: usize,
}

impl Reader {
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Row>, String> {
        let mut rows = Vec::new();
        for &b in bytes {
            if self.at == At::Cr {
                self.at = At::FieldStart;
                if b == b'\n' {
                    continue;
                }
            }
            match (self.at, b) {
                (At::FieldStart, b'"') => {
                    self.at = At::Quoted;
                    self.quoted = true;
                }
                (At::FieldStart | At::Unquoted | At::QuotedQuote, b',') => {
                    self.end_field()?;
                    self.at = At::FieldStart;
                }
                (At::FieldStart | At::Unquoted | At::QuotedQuote, b'\n' | b'\r') => {
                    self.end_field()?;
                    rows.push(std::mem::take(&mut self.row));
                    self.line += 1;
                    self.at = if b == b'\r' { At::Cr } else { At::FieldStart };
                }
                (At::Unquoted, b'"') => {
                    return Err(format!("line {}: a quote inside an unquoted field", self.line + 1));
                }
                (At::FieldStart | At::Unquoted, _) => {
                    self.field.push(b);
                    self.at = At::Unquoted;
                }
                (At::Quoted, b'"') => self.at = At::QuotedQuote,
                (At::Quoted, _) => {
                    self.line += usize::from(b == b'\n');
                    self.field.push(b);
                }
                (At::QuotedQuote, b'"') => {
                    self.field.push(b'"');
                    self.at = At::Quoted;
                }
                (At::QuotedQuote, _) => {
                    return Err(format!(
                        "line {}: unexpected `{}` after a quoted field",
                        self.line + 1,
                        char::from(b)
                    ));
                }
                (At::Cr, _) => unreachable!("a carriage return is resolved above"),
            }
        }
        Ok(rows)
    }

    /// The last row, when the text did not end with a line break.
    pub fn finish(mut self) -> Result<Option<Row>, String> {
        match self.at {
            At::Quoted => Err(format!("line {}: a quoted field is never closed", self.line + 1)),
            At::Cr => Ok(None),
            At::FieldStart if self.row.is_empty() => Ok(None),
            _ => {
                self.end_field()?;
                Ok(Some(self.row))
            }
        }
    }

    fn end_field(&mut self) -> Result<(), String> {
        let bytes = std::mem::take(&mut self.field);
        let value = match (bytes.is_empty(), std::mem::take(&mut self.quoted)) {
            (true, false) => None,
            _ => Some(String::from_utf8(bytes).map_err(|_| format!("line {}: not UTF-8", self.line + 1))?),
        };
        self.row.push(value);
        Ok(())
    }
}

/// Quotes a field when it needs it.
pub fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn reads_athena_csv() {
        let rows = parse("\"a\",\"b\"\n\"1\",\n\"x,\"\"y\"\"\nz\",\"\"\n").unwrap();
        assert_eq!(rows, vec![vec![s("a"), s("b")], vec![s("1"), None], vec![s("x,\"y\"\nz"), s("")]]);
        assert_eq!(parse("a,b\r\n1,2").unwrap(), vec![vec![s("a"), s("b")], vec![s("1"), s("2")]]);
        assert_eq!(parse("").unwrap(), Vec::<Vec<Option<String>>>::new());
        assert!(parse("\"a").is_err());
        assert!(parse("\"a\"b").is_err());
    }

    #[test]
    fn any_split_of_the_bytes_reads_the_same_rows() {
        let text = "\"a\",\"é\"\r\n\"x,\"\"y\"\"\nz\",\n1,\"\"\n\n\"last\"";
        let whole = parse(text).unwrap();
        assert_eq!(whole.len(), 5);
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let mut r = Reader::default();
            let mut rows = r.feed(&bytes[..cut]).unwrap();
            rows.extend(r.feed(&bytes[cut..]).unwrap());
            rows.extend(r.finish().unwrap());
            assert_eq!(rows, whole, "split at {cut}");
        }
    }

    #[test]
    fn writes_only_the_quotes_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
