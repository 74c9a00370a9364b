//! Query results as text: an aligned table, CSV, JSON (numbers and booleans typed from the
//! result's column types), NDJSON, or a Markdown table.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets};
use serde_json::{Map, Value};

use crate::engine::{Column, Kind, RowSink, csv};

/// How rows are printed (`--format` on commands that print rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// An aligned table with a row count
    Table,
    /// CSV with a header line
    Csv,
    /// One JSON array of objects
    Json,
    /// One JSON object a line
    Ndjson,
    /// A Markdown table
    Markdown,
    /// A terminal chart of the number columns over the time column (`--y`, `--ascii`, `--tz`)
    Chart,
}

use OutputFormat as Format;

fn json_value(kind: Kind, v: &Option<String>) -> Value {
    let Some(s) = v else { return Value::Null };
    match kind {
        Kind::Integer => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(s.as_str())),
        Kind::Float => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::from(s.as_str())),
        Kind::Boolean => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::from(s.as_str()),
        },
        Kind::Text => Value::from(s.as_str()),
    }
}

fn object(columns: &[Column], row: &[Option<String>]) -> Value {
    let mut map = Map::new();
    for (i, col) in columns.iter().enumerate() {
        map.insert(col.name.clone(), json_value(col.kind, row.get(i).unwrap_or(&None)));
    }
    Value::Object(map)
}

/// How many rows `--format table` keeps to lay out; the rest are counted, not kept.
pub const TABLE_ROWS: usize = 10_000;

/// Prints rows as they arrive: CSV, NDJSON, JSON and Markdown write each batch straight out; a
/// table must see its rows to size its columns, so it keeps up to a cap and counts the rest.
/// Statements without a result (DDL) print nothing, in every format but JSON's empty array; a
/// query with columns but no rows still prints its header (and `(0 rows)`).
pub struct Writer<W: Write + Send> {
    out: W,
    format: Format,
    columns: Vec<Column>,
    /// Rows kept for the table.
    kept: Vec<Vec<Option<String>>>,
    cap: usize,
    count: u64,
    /// Run before the first byte is written (the spinner clears its line).
    before_first: Option<Box<dyn FnOnce() + Send>>,
    chart: Option<crate::output::chart::ChartOptions>,
}

impl<W: Write + Send> Writer<W> {
    pub fn new(out: W, format: Format, cap: usize) -> Writer<W> {
        Writer {
            out,
            format,
            columns: Vec::new(),
            kept: Vec::new(),
            cap,
            count: 0,
            before_first: None,
            chart: None,
        }
    }

    /// The rows written so far.
    pub fn written(&self) -> u64 {
        self.count
    }

    /// How `--format chart` draws.
    pub fn chart(mut self, options: crate::output::chart::ChartOptions) -> Writer<W> {
        self.chart = Some(options);
        self
    }

    /// Runs `f` once, just before anything is written.
    pub fn before_first_write(mut self, f: impl FnOnce() + Send + 'static) -> Writer<W> {
        self.before_first = Some(Box::new(f));
        self
    }

    fn write(&mut self, text: &str) -> anyhow::Result<()> {
        if let Some(f) = self.before_first.take() {
            f();
        }
        self.out.write_all(text.as_bytes()).map_err(io_error)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        self.out.flush().map_err(io_error)
    }

    /// Writes what only the end can tell (the table, JSON's closing bracket) and hands back the
    /// output.
    pub fn finish(mut self) -> anyhow::Result<W> {
        let empty = self.columns.is_empty() && self.count == 0;
        match self.format {
            Format::Json if self.count == 0 => self.write("[]\n")?,
            Format::Json => self.write("\n]\n")?,
            Format::Table if !empty => {
                let text = table(&self.columns, &self.kept, self.count);
                self.write(&text)?;
            }
            Format::Chart if !empty => {
                let options = self.chart.clone().unwrap_or_else(crate::output::chart::ChartOptions::plain);
                let mut text =
                    crate::output::chart::render(&self.columns, &self.kept, &options).map_err(|e| {
                        let shape = e.0.contains("a chart needs");
                        let error = crate::error::InputError::new(e.0);
                        if shape {
                            error.hint("try `athq run bytes-over-time --format chart`")
                        } else {
                            error
                        }
                    })?;
                if self.count > self.kept.len() as u64 {
                    text.push_str(&format!(
                        "(the first {} of {} rows are drawn)\n",
                        self.kept.len(),
                        self.count
                    ));
                }
                self.write(&text)?;
            }
            _ => {}
        }
        self.flush()?;
        Ok(self.out)
    }
}

/// A Markdown table cell: pipes escaped, line breaks as spaces.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn io_error(e: std::io::Error) -> anyhow::Error {
    match e.kind() {
        std::io::ErrorKind::BrokenPipe => crate::output::ClosedPipe.into(),
        _ => anyhow::anyhow!("cannot write the results: {e}"),
    }
}

impl<W: Write + Send> RowSink for Writer<W> {
    fn columns(&mut self, columns: &[Column]) -> anyhow::Result<()> {
        self.columns = columns.to_vec();
        if columns.is_empty() {
            return Ok(());
        }
        match self.format {
            Format::Csv => {
                let line = columns.iter().map(|c| csv::field(&c.name)).collect::<Vec<_>>().join(",");
                self.write(&(line + "\n"))?;
            }
            Format::Markdown => {
                let names: Vec<String> = columns.iter().map(|c| md_cell(&c.name)).collect();
                let aligns: Vec<&str> = columns
                    .iter()
                    .map(|c| if matches!(c.kind, Kind::Integer | Kind::Float) { "---:" } else { "---" })
                    .collect();
                let text = format!("| {} |\n| {} |\n", names.join(" | "), aligns.join(" | "));
                self.write(&text)?;
            }
            _ => {}
        }
        self.flush()
    }

    fn rows(&mut self, rows: Vec<Vec<Option<String>>>) -> anyhow::Result<()> {
        let mut text = String::new();
        for row in rows {
            self.count += 1;
            match self.format {
                Format::Table | Format::Chart => {
                    if self.kept.len() < self.cap {
                        self.kept.push(row);
                    }
                }
                Format::Csv => {
                    let fields: Vec<String> =
                        row.iter().map(|v| v.as_deref().map(csv::field).unwrap_or_default()).collect();
                    text.push_str(&fields.join(","));
                    text.push('\n');
                }
                Format::Ndjson => {
                    text.push_str(&object(&self.columns, &row).to_string());
                    text.push('\n');
                }
                Format::Json => {
                    // The same text as pretty-printing the whole array: two-space indents.
                    text.push_str(if self.count == 1 { "[\n" } else { ",\n" });
                    let pretty =
                        serde_json::to_string_pretty(&object(&self.columns, &row)).unwrap_or_default();
                    let indented: Vec<String> = pretty.lines().map(|l| format!("  {l}")).collect();
                    text.push_str(&indented.join("\n"));
                }
                Format::Markdown => {
                    let cells: Vec<String> =
                        row.iter().map(|v| md_cell(v.as_deref().unwrap_or("NULL"))).collect();
                    text.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
            }
        }
        if !text.is_empty() {
            self.write(&text)?;
            self.flush()?;
        }
        Ok(())
    }
}

/// The aligned table of `rows`, out of `total` rows in all.
fn table(columns: &[Column], rows: &[Vec<Option<String>>], total: u64) -> String {
    // Column names, falling back to `_colN` when a row is wider than the metadata says.
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(columns.len());
    let header: Vec<String> = (0..width)
        .map(|i| columns.get(i).map(|c| c.name.clone()).unwrap_or_else(|| format!("_col{i}")))
        .collect();
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(header);
    for row in rows {
        t.add_row(row.iter().enumerate().map(|(i, v)| {
            let numeric = columns.get(i).is_some_and(|c| matches!(c.kind, Kind::Integer | Kind::Float));
            let cell = Cell::new(v.as_deref().unwrap_or("NULL"));
            if numeric { cell.set_alignment(CellAlignment::Right) } else { cell }
        }));
    }
    let plural = if total == 1 { "" } else { "s" };
    if total > rows.len() as u64 {
        format!(
            "{t}\n({total} rows; the first {} are shown: --format csv or --output FILE gives them all)\n",
            rows.len()
        )
    } else {
        format!("{t}\n({total} row{plural})\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ResultSet;

    /// A whole result as text.
    fn render(rs: &ResultSet, format: Format) -> String {
        let mut w = Writer::new(Vec::new(), format, usize::MAX);
        let written = w.columns(&rs.columns).and_then(|()| w.rows(rs.rows.clone())).and_then(|()| w.finish());
        written.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
    }

    fn rs() -> ResultSet {
        ResultSet {
            columns: vec![
                Column { name: "srcaddr".into(), kind: Kind::Text },
                Column { name: "flows".into(), kind: Kind::Integer },
                Column { name: "ratio".into(), kind: Kind::Float },
            ],
            rows: vec![
                vec![Some("10.0.0.1".into()), Some("12".into()), Some("0.5".into())],
                vec![Some("a,\"b\"|c".into()), None, Some("NaN".into())],
            ],
        }
    }

    #[test]
    fn csv_quotes_and_nulls() {
        assert_eq!(
            render(&rs(), Format::Csv),
            "srcaddr,flows,ratio\n10.0.0.1,12,0.5\n\"a,\"\"b\"\"|c\",,NaN\n"
        );
    }

    #[test]
    fn json_types_follow_columns() {
        assert_eq!(
            render(&rs(), Format::Ndjson),
            "{\"srcaddr\":\"10.0.0.1\",\"flows\":12,\"ratio\":0.5}\n{\"srcaddr\":\"a,\\\"b\\\"|c\",\"flows\":null,\"ratio\":\"NaN\"}\n"
        );
        let v: Value = serde_json::from_str(&render(&rs(), Format::Json)).unwrap();
        assert_eq!(v[0]["flows"], 12);
    }

    #[test]
    fn markdown_and_table() {
        let md = render(&rs(), Format::Markdown);
        assert!(md.starts_with("| srcaddr | flows | ratio |\n| --- | ---: | ---: |\n"), "{md}");
        assert!(md.contains("a,\"b\"\\|c | NULL | NaN"), "{md}");
        let t = render(&rs(), Format::Table);
        assert!(t.contains("┆    12 ┆"), "{t}");
        assert!(t.ends_with("(2 rows)\n"));
    }
}
