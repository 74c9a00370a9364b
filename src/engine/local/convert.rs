//! Arrow results as athq's text rows: column kinds from Arrow types, values as Athena prints them
//! (timestamps `2026-11-22 10:05:00.000`). A result with no rows keeps its columns, so an empty
//! answer still prints its header. It must not run queries.

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, Schema};
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
    Ok((0..batch.num_rows())
        .map(|r| {
            batch
                .columns()
                .iter()
                .zip(&formatters)
                .map(|(c, f)| (!c.is_null(r)).then(|| f.value(r).to_string()))
                .collect()
        })
        .collect())
}
