//! CREATE EXTERNAL TABLE statements for a table profile: LazySimpleSerDe text, RegexSerDe text
//! (the regex generated from the field list) and Parquet, each with or without partition
//! projection for either AWS layout, daily or hourly. The statement's shape is in
//! `ddl/create-table.sql`; this module computes and quotes every value that goes into it.

use minijinja::Value;

use crate::logs::flowlogs::SERVICE;
use crate::sql::{self, hive_ident, literal};
use crate::table::{Format, PartitionKind, Partitioning, TableError, TableProfile};

const TEMPLATE: &str = include_str!("../../ddl/create-table.sql");

/// The RegexSerDe pattern: one capture group per field; a lone `-` placeholder leaves its group
/// unmatched, which the SerDe reads as NULL.
pub fn input_regex(table: &TableProfile) -> String {
    let groups = vec!["(?:-|([^ ]+))"; table.fields.fields().len()];
    format!("^{}$", groups.join(" "))
}

/// `partition_column -> (projection properties)`, for partition projection.
fn projection_properties(table: &TableProfile) -> Result<Vec<(String, String)>, TableError> {
    table.require(true)?;
    let start = table.projection_start;
    let mut props = vec![("projection.enabled".to_string(), "true".to_string())];
    let mut add =
        |col: &str, key: &str, value: String| props.push((format!("projection.{col}.{key}"), value));
    for col in table.partition_columns() {
        let name = col.name.as_str();
        match col.kind {
            PartitionKind::Ingest { unit, .. } => {
                add(name, "type", "date".into());
                add(name, "format", unit.joda().into());
                let first = start.at(0, 0, 0, 0).strftime(unit.strftime()).to_string();
                add(name, "range", format!("{first},NOW"));
                add(name, "interval", "1".into());
                add(name, "interval.unit", unit.unit().into());
            }
            PartitionKind::Account => {
                add(name, "type", "enum".into());
                add(name, "values", table.accounts.join(","));
            }
            PartitionKind::Region => {
                add(name, "type", "enum".into());
                add(name, "values", table.regions.join(","));
            }
            PartitionKind::Service => {
                add(name, "type", "enum".into());
                add(name, "values", SERVICE.into());
            }
            PartitionKind::DaySlash => {
                add(name, "type", "date".into());
                add(name, "format", "yyyy/MM/dd".into());
                add(name, "range", format!("{},NOW", start.strftime("%Y/%m/%d")));
                add(name, "interval", "1".into());
                add(name, "interval.unit", "DAYS".into());
            }
            PartitionKind::HourSlash => {
                add(name, "type", "date".into());
                add(name, "format", "yyyy/MM/dd/HH".into());
                add(name, "range", format!("{}/00,NOW", start.strftime("%Y/%m/%d")));
                add(name, "interval", "1".into());
                add(name, "interval.unit", "HOURS".into());
            }
            PartitionKind::Year => {
                add(name, "type", "date".into());
                add(name, "format", "yyyy".into());
                add(name, "range", format!("{},NOW", start.strftime("%Y")));
                add(name, "interval", "1".into());
                add(name, "interval.unit", "YEARS".into());
            }
            PartitionKind::Month | PartitionKind::Day | PartitionKind::Hour => {
                let range = match col.kind {
                    PartitionKind::Month => "1,12",
                    PartitionKind::Day => "1,31",
                    _ => "0,23",
                };
                add(name, "type", "integer".into());
                add(name, "range", range.into());
                add(name, "digits", "2".into());
            }
        }
    }
    let location = table.location()?;
    let template = table.layout.location_template(location, &table.partition_columns());
    props.push(("storage.location.template".into(), template));
    Ok(props)
}

/// TBLPROPERTIES: the header line to skip for text, and partition projection.
pub fn table_properties(table: &TableProfile) -> Result<Vec<(String, String)>, TableError> {
    let mut props: Vec<(String, String)> = Vec::new();
    if table.has_header() {
        props.push(("skip.header.line.count".into(), "1".into()));
    }
    if table.partitioning == Partitioning::Projection {
        props.extend(projection_properties(table)?);
    }
    Ok(props)
}

/// The SerDe class, its properties, and the input/output formats, as the Glue catalog stores them.
pub struct Storage {
    pub serde: &'static str,
    pub serde_parameters: Vec<(String, String)>,
    pub input_format: &'static str,
    pub output_format: &'static str,
}

pub fn storage(table: &TableProfile) -> Storage {
    const TEXT_IN: &str = "org.apache.hadoop.mapred.TextInputFormat";
    const TEXT_OUT: &str = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
    match table.format {
        Format::Text => Storage {
            serde: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            serde_parameters: vec![
                kv("field.delim", " "),
                kv("serialization.format", " "),
                kv("serialization.null.format", "-"),
            ],
            input_format: TEXT_IN,
            output_format: TEXT_OUT,
        },
        Format::Regex => Storage {
            serde: "org.apache.hadoop.hive.serde2.RegexSerDe",
            serde_parameters: vec![kv("input.regex", &input_regex(table))],
            input_format: TEXT_IN,
            output_format: TEXT_OUT,
        },
        Format::Parquet => Storage {
            serde: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            serde_parameters: vec![kv("serialization.format", "1")],
            input_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            output_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        },
    }
}

/// The CREATE EXTERNAL TABLE statement for `table`.
pub fn create_table(table: &TableProfile) -> Result<String, TableError> {
    table.require(table.partitioning == Partitioning::Projection)?;
    let location = table.location()?;
    let columns: Vec<Value> = table
        .fields
        .fields()
        .iter()
        .map(|f| sql::safe(format!("{} {}", hive_ident(&f.column()), f.athena_type)))
        .collect();
    let partitions: Vec<Value> = table
        .partition_columns()
        .iter()
        .map(|c| sql::safe(format!("{} string", hive_ident(&c.name))))
        .collect();

    let mut props: Vec<(String, String)> = Vec::new();
    if table.has_header() {
        props.push(("skip.header.line.count".into(), "1".into()));
    }
    if table.partitioning == Partitioning::Projection {
        props.extend(projection_properties(table)?);
    }
    let properties: Vec<Value> =
        props.iter().map(|(k, v)| sql::safe(format!("{} = {}", literal(k), literal(v)))).collect();

    let ctx = minijinja::context! {
        table => sql::safe(format!("{}.{}", hive_ident(&table.database), hive_ident(&table.name))),
        columns => columns,
        partitions => partitions,
        format => table.format.to_string(),
        regex => sql::safe(literal(&input_regex(table))),
        location => sql::safe(literal(location)),
        properties => properties,
    };
    let sql = sql::environment()
        .render_str(TEMPLATE, ctx)
        .expect("the DDL template renders with values built here");
    Ok(sql.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::FieldSet;

    fn table() -> TableProfile {
        let mut t = TableProfile::new_default();
        t.location = Some("s3://logs-bucket/vpc/AWSLogs/".into());
        t.accounts = vec!["111122223333".into()];
        t.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        t
    }

    #[test]
    fn text_with_projection() {
        let sql = create_table(&table()).unwrap();
        assert!(sql.starts_with(
            "CREATE EXTERNAL TABLE IF NOT EXISTS `default`.`vpc_flow_logs` (\n  `version` int,\n"
        ));
        assert!(sql.contains("  `end` bigint,\n"));
        assert!(sql.contains("NULL DEFINED AS '-'"));
        assert!(sql.contains("'projection.aws_region.values' = 'us-east-1,eu-west-1'"));
        assert!(sql.contains(
            "'storage.location.template' = 's3://logs-bucket/vpc/AWSLogs/${aws_account_id}/vpcflowlogs/${aws_region}/${day}/'"
        ));
    }

    #[test]
    fn regex_has_one_group_per_field() {
        let mut t = table();
        t.format = Format::Regex;
        t.fields = FieldSet::parse("srcaddr dstaddr bytes").unwrap();
        assert_eq!(input_regex(&t), "^(?:-|([^ ]+)) (?:-|([^ ]+)) (?:-|([^ ]+))$");
        assert!(
            create_table(&t)
                .unwrap()
                .contains("'input.regex' = '^(?:-|([^ ]+)) (?:-|([^ ]+)) (?:-|([^ ]+))$'")
        );
    }

    #[test]
    fn projection_needs_accounts_and_location() {
        let mut t = table();
        t.accounts.clear();
        assert_eq!(create_table(&t), Err(TableError::Missing(vec!["accounts"])));
        t.regions.clear();
        t.location = None;
        assert_eq!(create_table(&t), Err(TableError::Missing(vec!["location", "accounts", "regions"])));
        t.partitioning = Partitioning::Managed;
        assert_eq!(create_table(&t), Err(TableError::Missing(vec!["location"])));
    }
}
