//! Arrow results as athq's text rows: column kinds from Arrow types, values as Athena prints them
//! (timestamps `2026-11-22 10:05:00.000`, arrays `[1, 2]`, maps `{a=1}`, rows `{x=1, y=a}`). A result with no rows keeps its columns, so an empty
//! answer still prints its header. It must not run queries.

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::engine::{Column, Kind};

fn kind(t: &DataType) -> Kind {
    match t {
        t if t.is_integer() => Kind::Integer,
        t if t.is_floating() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) => {
            Kind::Float
        }
        DataType::Boolean => Kind::Boolean,
        _ => Kind::Text,
    }
}

/// Rows as text, `None` for NULL.
pub type Rows = Vec<Vec<Option<String>>>;

pub fn columns(schema: &Schema) -> Vec<Column> {
    schema.fields().iter().map(|f| Column { name: f.name().clone(), kind: kind(f.data_type()) }).collect()
}

pub fn rows(batch: &RecordBatch) -> datafusion::common::Result<Rows> {
    let options = FormatOptions::default().with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.3f"));
    let formatters = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(batch.num_rows());
    for r in 0..batch.num_rows() {
        let mut row = Vec::with_capacity(batch.num_columns());
        for (c, f) in batch.columns().iter().zip(&formatters) {
            row.push(match c.is_null(r) {
                true => None,
                false if c.data_type().is_nested() => Some(nested(c.as_ref(), r, &options)?),
                false if matches!(c.data_type(), DataType::Timestamp(_, Some(_))) => zoned(c, r),
                false => Some(f.value(r).to_string()),
            });
        }
        out.push(row);
    }
    Ok(out)
}

/// A timestamp with a time zone as Athena prints it: `2026-11-21 05:00:00.000 America/New_York`.
fn zoned(c: &datafusion::arrow::array::ArrayRef, r: usize) -> Option<String> {
    let DataType::Timestamp(_, Some(z)) = c.data_type() else { return None };
    let (t, _, _) = super::zones::instants("", c).ok()?;
    super::zones::zoned_text(t.value(r), z)
}

/// An array, map or row value as Trino prints it: `[1, 2]`, `{a=1, b=2}`, `{x=1, y=a}`, with
/// `NULL` inside.
fn nested(a: &dyn Array, i: usize, options: &FormatOptions) -> Result<String, ArrowError> {
    if a.is_null(i) {
        return Ok("NULL".into());
    }
    let items = |values: &dyn Array| -> Result<String, ArrowError> {
        let parts = (0..values.len()).map(|j| nested(values, j, options)).collect::<Result<Vec<_>, _>>()?;
        Ok(format!("[{}]", parts.join(", ")))
    };
    match a.data_type() {
        DataType::List(_) => items(a.as_list::<i32>().value(i).as_ref()),
        DataType::LargeList(_) => items(a.as_list::<i64>().value(i).as_ref()),
        DataType::FixedSizeList(..) => items(a.as_fixed_size_list().value(i).as_ref()),
        DataType::Map(..) => {
            let entries = a.as_map().value(i);
            let (keys, values) = (entries.column(0), entries.column(1));
            let parts = (0..entries.len())
                .map(|j| {
                    Ok(format!(
                        "{}={}",
                        nested(keys.as_ref(), j, options)?,
                        nested(values.as_ref(), j, options)?
                    ))
                })
                .collect::<Result<Vec<_>, ArrowError>>()?;
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let parts = fields
                .iter()
                .zip(s.columns())
                .map(|(f, c)| Ok(format!("{}={}", f.name(), nested(c.as_ref(), i, options)?)))
                .collect::<Result<Vec<_>, ArrowError>>()?;
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        _ => Ok(ArrayFormatter::try_new(a, options)?.value(i).to_string()),
    }
}

/// A type as Athena (Trino) names it, for DESCRIBE: `varchar`, `bigint`, `timestamp(3)`,
/// `array(varchar)`, `map(varchar, bigint)`, `row(a bigint, …)`.
pub fn athena_type(dt: &DataType) -> String {
    match dt {
        DataType::Utf8 | DataType::Utf8View => "varchar".into(),
        DataType::LargeUtf8 => "json".into(),
        DataType::Int8 | DataType::UInt8 => "tinyint".into(),
        DataType::Int16 | DataType::UInt16 => "smallint".into(),
        DataType::Int32 | DataType::UInt32 => "integer".into(),
        DataType::Int64 | DataType::UInt64 => "bigint".into(),
        DataType::Float16 | DataType::Float32 => "real".into(),
        DataType::Float64 => "double".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        // Every timestamp a function gives on Trino (from_unixtime, date_parse, now(),
        // from_iso8601_timestamp, parse_datetime, date_trunc of them) and a table's timestamp
        // column are of precision 3, whatever unit Arrow holds them in here.
        DataType::Timestamp(_, zone) => match zone {
            Some(_) => "timestamp(3) with time zone".into(),
            None => "timestamp(3)".into(),
        },
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => format!("decimal({p},{s})"),
        DataType::Binary | DataType::BinaryView | DataType::LargeBinary => "varbinary".into(),
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::ListView(f)
        | DataType::FixedSizeList(f, _) => {
            format!("array({})", athena_type(f.data_type()))
        }
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map({}, {})", athena_type(kv[0].data_type()), athena_type(kv[1].data_type()))
            }
            other => other.to_string(),
        },
        DataType::Struct(fields) => format!(
            "row({})",
            fields
                .iter()
                .map(|f| format!("{} {}", f.name(), athena_type(f.data_type())))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        DataType::Null => "unknown".into(),
        other => other.to_string(),
    }
}
