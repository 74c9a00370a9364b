//! The Glue Data Catalog path: CreateTable (or UpdateTable with --replace) from the same table
//! model the DDL comes from, and BatchCreatePartition in chunks of 100.

use aws_sdk_glue::Client;
use aws_sdk_glue::types::{Column, PartitionInput, SerDeInfo, StorageDescriptor, TableInput};

use crate::engine::EngineError;
use crate::engine::aws::aws_error;
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
        input = input.partition_keys(column(&c.name, "string")?);
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
                .map_err(aws_error("Glue", "UpdateTable", &format!("{}.{}", table.database, table.name)))?;
            Ok("updated")
        }
        Err(e) => Err(aws_error("Glue", "CreateTable", &format!("{}.{}", table.database, table.name))(e)),
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
        let out = req.send().await.map_err(aws_error(
            "Glue",
            "BatchCreatePartition",
            &format!("{}.{}", table.database, table.name),
        ))?;
        let mut failed = 0;
        for err in out.errors() {
            let code = err.error_detail().and_then(|d| d.error_code()).unwrap_or_default();
            if code == "AlreadyExistsException" {
                report.already_existed += 1;
            } else {
                failed += 1;
                if failed == 1 {
                    return Err(EngineError::Runtime(format!(
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

/// What the catalog holds of the table (its location, whether it is Parquet, its compression),
/// or None when it has no such table.
pub async fn table_info(
    client: &Client,
    table: &TableProfile,
) -> Result<Option<crate::table::convert::Existing>, EngineError> {
    let out = match client.get_table().database_name(&table.database).name(&table.name).send().await {
        Ok(out) => out,
        Err(e) if e.as_service_error().is_some_and(|s| s.is_entity_not_found_exception()) => return Ok(None),
        Err(e) => {
            return Err(aws_error("Glue", "GetTable", &format!("{}.{}", table.database, table.name))(e));
        }
    };
    let Some(t) = out.table() else { return Ok(Some(Default::default())) };
    let sd = t.storage_descriptor();
    let parquet = sd.is_some_and(|sd| {
        let serde = sd.serde_info().and_then(|s| s.serialization_library()).unwrap_or_default();
        let input = sd.input_format().unwrap_or_default();
        serde.to_ascii_lowercase().contains("parquet") || input.to_ascii_lowercase().contains("parquet")
    });
    let params = t.parameters();
    let compression = ["parquet.compression", "write.compression"]
        .iter()
        .find_map(|k| params.and_then(|p| p.get(*k)).cloned());
    Ok(Some(crate::table::convert::Existing {
        location: sd.and_then(|sd| sd.location()).map(String::from),
        parquet,
        compression,
    }))
}

/// Every partition's values the catalog holds for the table.
pub async fn catalog_partitions(
    client: &Client,
    table: &TableProfile,
) -> Result<std::collections::HashSet<Vec<String>>, EngineError> {
    let mut out = std::collections::HashSet::new();
    let mut pages = client
        .get_partitions()
        .database_name(&table.database)
        .table_name(&table.name)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(aws_error("Glue", "GetPartitions", &format!("{}.{}", table.database, table.name)))?;
        for p in page.partitions() {
            out.insert(p.values().to_vec());
        }
    }
    Ok(out)
}

/// The sub-folders of `prefix` in S3 (ListObjectsV2 with a delimiter), as their last path part.
async fn folders(s3: &aws_sdk_s3::Client, bucket: &str, prefix: &str) -> Result<Vec<String>, EngineError> {
    let mut out = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).delimiter("/").into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("S3", "ListObjectsV2", &format!("s3://{bucket}/{prefix}")))?;
        for p in page.common_prefixes() {
            if let Some(name) =
                p.prefix().and_then(|p| p.strip_prefix(prefix)).and_then(|r| r.strip_suffix('/'))
            {
                out.push(name.to_string());
            }
        }
    }
    Ok(out)
}

/// Date folders present in S3 whose partitions the catalog lacks (managed-partition tables).
pub async fn missing_partitions(
    glue: &Client,
    s3: &aws_sdk_s3::Client,
    table: &TableProfile,
) -> Result<MissingPartitions, EngineError> {
    let config = |e: crate::table::TableError| EngineError::Config(e.to_string());
    table.require(true).map_err(config)?;
    let (bucket, base) = crate::engine::aws::split_s3_url(table.location().map_err(config)?)
        .ok_or_else(|| EngineError::Config("the table location is not an s3:// URL".into()))?;
    let known = catalog_partitions(glue, table).await?;
    let mut missing = Vec::new();
    let mut matched = 0usize;
    let mut roots = Vec::new();
    // A unit's partition, at the root its files were found under, unless the catalog has it.
    let mut found = |account: &str, region: &str, root: &str, at: jiff::civil::DateTime| {
        matched += 1;
        let mut p = partitions::partition_at(table, account, region, at)
            .map_err(|e| EngineError::Config(e.to_string()))?;
        p.location = format!("s3://{bucket}/{root}{}", table.layout.time_folders(at, table.granularity));
        if !known.contains(&p.values) {
            missing.push(p);
        }
        Ok::<_, EngineError>(())
    };
    for (account, region) in table.account_regions() {
        // Hive folders may say `aws-service=` or `service=`: each root is walked.
        for root in table.layout.account_roots(base, &account, &region) {
            roots.push(format!("s3://{bucket}/{root}"));
            for y in folders(s3, bucket, &root).await? {
                let Some(year) = table.layout.folder_number(&y, "year", 4) else { continue };
                let ydir = format!("{root}{y}/");
                for m in folders(s3, bucket, &ydir).await? {
                    let Some(month) = table.layout.folder_number(&m, "month", 2) else { continue };
                    if table.granularity == crate::table::Granularity::Month {
                        if let Ok(first) = jiff::civil::Date::new(year, month as i8, 1) {
                            found(&account, &region, &root, first.at(0, 0, 0, 0))?;
                        }
                        continue;
                    }
                    let mdir = format!("{ydir}{m}/");
                    for d in folders(s3, bucket, &mdir).await? {
                        let Some(day) = table.layout.folder_number(&d, "day", 2) else { continue };
                        let Ok(date) = jiff::civil::Date::new(year, month as i8, day as i8) else {
                            continue;
                        };
                        let hours: Vec<i8> = if table.hourly() {
                            let ddir = format!("{mdir}{d}/");
                            folders(s3, bucket, &ddir)
                                .await?
                                .iter()
                                .filter_map(|h| table.layout.folder_number(h, "hour", 2))
                                .filter(|h| (0..24).contains(h))
                                .map(|h| h as i8)
                                .collect()
                        } else {
                            vec![0]
                        };
                        for hour in hours {
                            found(&account, &region, &root, date.at(hour, 0, 0, 0))?;
                        }
                    }
                }
            }
        }
    }
    missing.sort_by(|a, b| a.location.cmp(&b.location));
    Ok(MissingPartitions { missing, matched, looked_in: roots })
}

/// What `missing_partitions` found: the partitions the catalog lacks, how many dated folders
/// matched the table's layout at all (none: the location or layout is likely wrong, and "nothing
/// missing" would be a false all-clear), and where it looked.
#[derive(Debug)]
pub struct MissingPartitions {
    pub missing: Vec<partitions::Partition>,
    pub matched: usize,
    pub looked_in: Vec<String>,
}
