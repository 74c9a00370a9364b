//! RFC 4180 CSV as Athena writes results: every value quoted, NULL as an unquoted empty field.
//! The reader keeps that distinction; the writer is for `--format csv`.

/// Parses CSV text into rows. An unquoted empty field is `None` (NULL); `""` is an empty string.
pub fn parse(text: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let mut rows = Vec::new();
    let mut row: Vec<Option<String>> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    loop {
        // One field.
        let field = if chars.peek() == Some(&'"') {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        value.push('"');
                    }
                    Some('"') => break,
                    Some(c) => {
                        if c == '\n' {
                            line += 1;
                        }
                        value.push(c);
                    }
                    None => return Err(format!("line {line}: a quoted field is never closed")),
                }
            }
            Some(value)
        } else {
            let mut value = String::new();
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '\n' || c == '\r' {
                    break;
                }
                if c == '"' {
                    return Err(format!("line {line}: a quote inside an unquoted field"));
                }
                value.push(c);
                chars.next();
            }
            if value.is_empty() { None } else { Some(value) }
        };
        row.push(field);
        match chars.next() {
            Some(',') => {}
            Some('\r') => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                rows.push(std::mem::take(&mut row));
                line += 1;
            }
            Some('\n') => {
                rows.push(std::mem::take(&mut row));
                line += 1;
            }
            None => {
                if !(row.len() == 1 && row[0].is_none()) {
                    rows.push(row);
                }
                return Ok(rows);
            }
            Some(c) => return Err(format!("line {line}: unexpected `{c}` after a quoted field")),
        }
        if chars.peek().is_none() {
            return Ok(rows);
        }
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
    fn writes_only_the_quotes_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
