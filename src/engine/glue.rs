//! The Glue Data Catalog path: CreateTable (or UpdateTable with --replace) from the same table
//! model the DDL comes from, and BatchCreatePartition in chunks of 100.

use aws_sdk_glue::Client;
use aws_sdk_glue::types::{Column, PartitionInput, SerDeInfo, StorageDescriptor, TableInput};

use crate::engine::EngineError;
use crate::engine::athena::aws_error;
use crate::table::{TableProfile, ddl, partitions};

/// BatchCreatePartition's limit per call.
pub const PARTITIONS_PER_CALL: usize = 100;

fn column(name: &str, ty: &str) -> Result<Column, EngineError> {
    Column::builder()
        .name(name)
        .r#type(ty)
        .build()
        .map_err(|e| EngineError::Config(format!("column {name}: {e}")))
}

fn storage_descriptor(table: &TableProfile, location: &str) -> Result<StorageDescriptor, EngineError> {
    let st = ddl::storage(table);
    let mut serde = SerDeInfo::builder().serialization_library(st.serde);
    for (k, v) in st.serde_parameters {
        serde = serde.parameters(k, v);
    }
    let mut sd = StorageDescriptor::builder()
        .location(location)
        .input_format(st.input_format)
        .output_format(st.output_format)
        .serde_info(serde.build());
    for f in table.fields.fields() {
        sd = sd.columns(column(&f.column(), f.athena_type)?);
    }
    Ok(sd.build())
}

fn table_input(table: &TableProfile) -> Result<TableInput, EngineError> {
    let location = table.location().map_err(|e| EngineError::Config(e.to_string()))?;
    let mut input = TableInput::builder()
        .name(&table.name)
        .table_type("EXTERNAL_TABLE")
        .parameters("EXTERNAL", "TRUE")
        .parameters(
            "classification",
            if table.format == crate::table::Format::Parquet { "parquet" } else { "csv" },
        )
        .storage_descriptor(storage_descriptor(table, location)?);
    for (k, v) in ddl::table_properties(table).map_err(|e| EngineError::Config(e.to_string()))? {
        input = input.parameters(k, v);
    }
    for c in table.partition_columns() {
        input = input.partition_keys(column(c.name, "string")?);
    }
    input.build().map_err(|e| EngineError::Config(format!("table input: {e}")))
}

/// Creates the table; with `replace`, an existing table is updated in place.
pub async fn create_table(
    client: &Client,
    table: &TableProfile,
    replace: bool,
) -> Result<&'static str, EngineError> {
    let input = table_input(table)?;
    let created =
        client.create_table().database_name(&table.database).table_input(input.clone()).send().await;
    match created {
        Ok(_) => Ok("created"),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_already_exists_exception()) => {
            if !replace {
                return Err(EngineError::Config(format!(
                    "table {}.{} already exists: pass --replace to update it in place",
                    table.database, table.name
                )));
            }
            client
                .update_table()
                .database_name(&table.database)
                .table_input(input)
                .send()
                .await
                .map_err(aws_error("UpdateTable"))?;
            Ok("updated")
        }
        Err(e) => Err(aws_error("CreateTable")(e)),
    }
}

/// How a BatchCreatePartition run went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AddReport {
    pub created: usize,
    pub already_existed: usize,
}

/// Adds the partitions in chunks of 100; partitions that already exist are counted, not errors.
pub async fn add_partitions(
    client: &Client,
    table: &TableProfile,
    parts: &[partitions::Partition],
) -> Result<AddReport, EngineError> {
    let mut report = AddReport::default();
    for chunk in parts.chunks(PARTITIONS_PER_CALL) {
        let mut req = client.batch_create_partition().database_name(&table.database).table_name(&table.name);
        for p in chunk {
            let mut sd = storage_descriptor(table, &p.location)?;
            sd.columns = None; // partitions inherit the table's columns
            req = req.partition_input_list(
                PartitionInput::builder().set_values(Some(p.values.clone())).storage_descriptor(sd).build(),
            );
        }
        let out = req.send().await.map_err(aws_error("BatchCreatePartition"))?;
        let mut failed = 0;
        for err in out.errors() {
            let code = err.error_detail().and_then(|d| d.error_code()).unwrap_or_default();
            if code == "AlreadyExistsException" {
                report.already_existed += 1;
            } else {
                failed += 1;
                if failed == 1 {
                    return Err(EngineError::Config(format!(
                        "BatchCreatePartition: {code}: {} ({} created so far)",
                        err.error_detail().and_then(|d| d.error_message()).unwrap_or_default(),
                        report.created
                    )));
                }
            }
        }
        report.created += chunk.len() - out.errors().len();
    }
    Ok(report)
}
