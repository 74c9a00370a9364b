//! Query results as text: an aligned table, CSV, JSON (numbers and booleans typed from the
//! result's column types), NDJSON, or a Markdown table.

use comfy_table::{Cell, CellAlignment, Table, presets};
use serde_json::{Map, Value};

use crate::engine::{Kind, ResultSet, csv};

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

fn object(rs: &ResultSet, row: &[Option<String>]) -> Value {
    let mut map = Map::new();
    for (i, col) in rs.columns.iter().enumerate() {
        map.insert(col.name.clone(), json_value(col.kind, row.get(i).unwrap_or(&None)));
    }
    Value::Object(map)
}

/// Column names, falling back to `_colN` when a row is wider than the metadata says.
fn header(rs: &ResultSet) -> Vec<String> {
    let width = rs.rows.iter().map(Vec::len).max().unwrap_or(0).max(rs.columns.len());
    (0..width)
        .map(|i| rs.columns.get(i).map(|c| c.name.clone()).unwrap_or_else(|| format!("_col{i}")))
        .collect()
}

pub fn render(rs: &ResultSet, format: Format) -> String {
    // Statements without a result (DDL) print nothing, in every format but JSON's empty array.
    // A query with columns but no rows still prints its header (and `(0 rows)`).
    if rs.columns.is_empty() && rs.rows.is_empty() {
        return if format == Format::Json { "[]\n".into() } else { String::new() };
    }
    match format {
        Format::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED);
            t.set_header(header(rs));
            for row in &rs.rows {
                t.add_row(row.iter().enumerate().map(|(i, v)| {
                    let numeric =
                        rs.columns.get(i).is_some_and(|c| matches!(c.kind, Kind::Integer | Kind::Float));
                    let cell = Cell::new(v.as_deref().unwrap_or("NULL"));
                    if numeric { cell.set_alignment(CellAlignment::Right) } else { cell }
                }));
            }
            let rows = rs.rows.len();
            format!("{t}\n({rows} row{})\n", if rows == 1 { "" } else { "s" })
        }
        Format::Csv => {
            let mut out = String::new();
            let line = |fields: Vec<String>| fields.join(",") + "\n";
            out.push_str(&line(header(rs).iter().map(|h| csv::field(h)).collect()));
            for row in &rs.rows {
                out.push_str(&line(
                    row.iter().map(|v| v.as_deref().map(csv::field).unwrap_or_default()).collect(),
                ));
            }
            out
        }
        Format::Json => {
            let rows: Vec<Value> = rs.rows.iter().map(|r| object(rs, r)).collect();
            let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Ndjson => rs.rows.iter().map(|r| object(rs, r).to_string() + "\n").collect(),
        Format::Markdown => {
            let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let h = header(rs);
            let mut out = format!("| {} |\n", h.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | "));
            let aligns: Vec<&str> = (0..h.len())
                .map(|i| match rs.columns.get(i).map(|c| c.kind) {
                    Some(Kind::Integer | Kind::Float) => "---:",
                    _ => "---",
                })
                .collect();
            out.push_str(&format!("| {} |\n", aligns.join(" | ")));
            for row in &rs.rows {
                let cells: Vec<String> = row.iter().map(|v| esc(v.as_deref().unwrap_or("NULL"))).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Column;

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
