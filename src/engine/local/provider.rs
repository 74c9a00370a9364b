//! The text files as one DataFusion table: the columns are the union of the files' headers, in
//! catalog order, then the configured table's partition columns, whose values come from each
//! file's path (so SQL written for Athena, `WHERE day = '2026/11/21'`, works, and a filter on them
//! drops files before any is opened). A scan runs one reader thread per partition, each taking the
//! next file from a shared queue as it finishes one (so a large file never holds the others back),
//! parsing only the projected columns. Unreadable files are skipped and reported, or fail the query
//! with `strict`. It must not choose files by date or print.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, RecordBatchOptions, StringArray};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DFSchema, DataFusionError};
use datafusion::execution::context::ExecutionProps;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::TableProviderFilterPushDown;
use datafusion::logical_expr::{Expr, TableType};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};

use crate::engine::EngineError;
use crate::engine::local::files::{LogFile, partition_values};
use crate::engine::local::stats::Stats;
use crate::engine::local::{remote, text};
use crate::table::{PartitionColumn, fields};

fn arrow_type(athena_type: &str) -> DataType {
    match athena_type {
        "int" | "bigint" => DataType::Int64,
        // Views: strings of up to 12 bytes (most IPv4 addresses, actions) sit inline, which
        // grouping and comparing read without following a pointer.
        _ => DataType::Utf8View,
    }
}

/// A file to read and the values of the table's partition columns for it.
type Work = (LogFile, Arc<Vec<Option<String>>>);

#[derive(Debug)]
pub struct TextLogs {
    schema: SchemaRef,
    files: Vec<Work>,
    columns: Vec<&'static fields::Field>,
    partition_cols: Vec<PartitionColumn>,
    stats: Arc<Stats>,
    partitions: usize,
    strict: bool,
    /// The table's fields, for files without a header line (Firehose's).
    headerless: Option<Arc<Vec<String>>>,
    /// Where the files are, when they are S3 objects rather than files on disk.
    objects: Option<Arc<remote::Objects>>,
}

/// Where an output column comes from: the file (its index among the parsed columns) or the path.
#[derive(Debug, Clone, Copy)]
enum Source {
    File(usize),
    Path(usize),
}

impl TextLogs {
    /// The files with their fields, as their headers name them (`text::fields_of`). A file whose
    /// header could not be read is skipped and reported (an error with `strict`).
    /// `headerless` are the table's fields, for files that have no header line; `objects` reads
    /// the files from S3.
    pub fn open(
        files: Vec<(LogFile, Result<Vec<String>, String>)>,
        partition_cols: Vec<PartitionColumn>,
        stats: Arc<Stats>,
        options: (usize, bool),
        headerless: Option<Vec<String>>,
        objects: Option<Arc<remote::Objects>>,
    ) -> Result<TextLogs, EngineError> {
        let (partitions, strict) = options;
        let mut present = vec![false; fields::CATALOG.len()];
        let mut readable = Vec::with_capacity(files.len());
        for (f, header) in files {
            match header {
                Ok(names) => {
                    for name in names {
                        if let Some(i) =
                            fields::lookup(&name).and_then(|fd| fields::CATALOG.iter().position(|c| c == fd))
                        {
                            present[i] = true;
                        }
                    }
                    let values = Arc::new(partition_values(&f.path, &partition_cols));
                    readable.push((f, values));
                }
                // A transfer that failed (see `remote::Objects`) is not a damaged file.
                Err(why) if strict || objects.as_ref().is_some_and(|o| o.failure(&f.path).is_some()) => {
                    return Err(EngineError::Runtime(format!("cannot read {}: {why}", f.path.display())));
                }
                Err(why) => stats.unreadable(&f.path, &why),
            }
        }
        let columns: Vec<&'static fields::Field> =
            fields::CATALOG.iter().zip(&present).filter(|(_, p)| **p).map(|(f, _)| f).collect();
        let cols: Vec<ArrowField> = columns
            .iter()
            .map(|f| ArrowField::new(f.column(), arrow_type(f.athena_type), true))
            .chain(partition_cols.iter().map(|p| ArrowField::new(p.name.clone(), DataType::Utf8, true)))
            .collect();
        Ok(TextLogs {
            schema: Arc::new(Schema::new(cols)),
            files: readable,
            columns,
            partition_cols,
            stats,
            partitions,
            strict,
            headerless: headerless.map(Arc::new),
            objects,
        })
    }

    fn is_partition_column(&self, name: &str) -> bool {
        self.schema.index_of(name).is_ok_and(|i| i >= self.columns.len())
    }

    /// The partition-only filters, compiled once against the partition columns. A filter that
    /// does not compile is left out: it keeps every file, and DataFusion still filters the rows.
    fn partition_filters(&self, filters: &[Expr]) -> (SchemaRef, Vec<Arc<dyn PhysicalExpr>>) {
        let schema = Arc::new(Schema::new(self.schema.fields()[self.columns.len()..].to_vec()));
        let Ok(df_schema) = DFSchema::try_from(schema.as_ref().clone()) else { return (schema, Vec::new()) };
        let compiled = filters
            .iter()
            .filter_map(|f| {
                let unqualified = f
                    .clone()
                    .transform(|e| {
                        Ok(match e {
                            Expr::Column(c) => {
                                Transformed::yes(Expr::Column(Column::new_unqualified(c.name)))
                            }
                            e => Transformed::no(e),
                        })
                    })
                    .ok()?;
                datafusion::physical_expr::create_physical_expr(
                    &unqualified.data,
                    &df_schema,
                    &ExecutionProps::new(),
                    &datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext::default(),
                )
                .ok()
            })
            .collect();
        (schema, compiled)
    }

    /// Whether a file's partition values can satisfy every filter (evaluated on one row of them).
    fn may_match(schema: &SchemaRef, filters: &[Arc<dyn PhysicalExpr>], values: &[Option<String>]) -> bool {
        if filters.is_empty() || schema.fields().is_empty() {
            return true;
        }
        let arrays: Vec<ArrayRef> =
            values.iter().map(|v| Arc::new(StringArray::from(vec![v.clone()])) as ArrayRef).collect();
        let Ok(batch) = RecordBatch::try_new(schema.clone(), arrays) else { return true };
        filters.iter().all(|f| match f.evaluate(&batch).and_then(|v| v.into_array(1)) {
            Ok(a) if a.data_type() == &DataType::Boolean => {
                let b = a.as_boolean();
                !b.is_null(0) && b.value(0)
            }
            // Anything that cannot be evaluated here keeps the file; DataFusion filters its rows.
            _ => true,
        })
    }

    /// The known fields the files carry, in catalog order.
    pub fn columns(&self) -> &[&'static fields::Field] {
        &self.columns
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[async_trait]
impl TableProvider for TextLogs {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    /// Filters on partition columns only decide which files to read (Inexact: DataFusion still
    /// applies them to the rows).
    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::common::Result<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| {
                let refs = f.column_refs();
                if !refs.is_empty() && refs.iter().all(|c| self.is_partition_column(&c.name)) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let all: Vec<usize> = (0..self.schema.fields().len()).collect();
        let projection = projection.unwrap_or(&all);
        let schema = Arc::new(self.schema.project(projection)?);
        // The parsed columns, in projection order, and where each output column comes from.
        let mut file_fields = Vec::new();
        let sources: Vec<Source> = projection
            .iter()
            .map(|&i| {
                if i < self.columns.len() {
                    file_fields.push(self.schema.field(i).clone());
                    Source::File(file_fields.len() - 1)
                } else {
                    let name = self.schema.field(i).name();
                    Source::Path(self.partition_cols.iter().position(|p| p.name == *name).unwrap_or(0))
                }
            })
            .collect();
        let file_schema = Arc::new(Schema::new(file_fields));
        // Files whose partition values cannot satisfy the filters are not read at all.
        let pushed: Vec<Expr> = filters
            .iter()
            .filter(|f| {
                let refs = f.column_refs();
                !refs.is_empty() && refs.iter().all(|c| self.is_partition_column(&c.name))
            })
            .cloned()
            .collect();
        let (part_schema, compiled) = self.partition_filters(&pushed);
        let mut files: Vec<Work> = Vec::with_capacity(self.files.len());
        for w in &self.files {
            if TextLogs::may_match(&part_schema, &compiled, &w.1) {
                files.push(w.clone());
            } else {
                self.stats.pruned(&w.0.path);
            }
        }
        // Largest first, so the last files taken are small ones and the threads finish together.
        files.sort_by_key(|w| std::cmp::Reverse(w.0.size));
        let n = self.partitions.max(1).min(files.len().max(1));
        let queue = Arc::new(Mutex::new(VecDeque::from(files)));
        let parts: Vec<Arc<dyn PartitionStream>> = (0..n)
            .map(|_| {
                Arc::new(TextPartition {
                    schema: schema.clone(),
                    file_schema: file_schema.clone(),
                    sources: sources.clone(),
                    queue: queue.clone(),
                    stats: self.stats.clone(),
                    strict: self.strict,
                    headerless: self.headerless.clone(),
                    objects: self.objects.clone(),
                }) as _
            })
            .collect();
        Ok(Arc::new(StreamingTableExec::try_new(schema, parts, None, vec![], false, limit)?))
    }
}

#[derive(Debug)]
struct TextPartition {
    schema: SchemaRef,
    /// The columns parsed from the files.
    file_schema: SchemaRef,
    sources: Vec<Source>,
    queue: Arc<Mutex<VecDeque<Work>>>,
    stats: Arc<Stats>,
    strict: bool,
    headerless: Option<Arc<Vec<String>>>,
    objects: Option<Arc<remote::Objects>>,
}

impl PartitionStream for TextPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (tx, rx) = tokio::sync::mpsc::channel::<datafusion::common::Result<RecordBatch>>(4);
        let (schema, file_schema, sources, queue, stats, strict, headerless, objects) = (
            self.schema.clone(),
            self.file_schema.clone(),
            self.sources.clone(),
            self.queue.clone(),
            self.stats.clone(),
            self.strict,
            self.headerless.clone(),
            self.objects.clone(),
        );
        std::thread::spawn(move || {
            loop {
                let next = {
                    let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                    let next = queue.pop_front();
                    if let Some(objects) = &objects {
                        objects.prefetch(queue.iter().map(|(f, _)| f.path.as_path()));
                    }
                    next
                };
                let Some((file, values)) = next else { return };
                let body = match &objects {
                    Some(objects) => text::body(objects.open(&file.path), Some(file.size), &file.path),
                    None => text::open(&file.path),
                };
                let headerless = headerless.as_ref().map(|h| h.as_slice());
                let read =
                    body.map_err(|e| e.to_string()).and_then(|b| text::read(b, &file_schema, headerless));
                match read {
                    Ok((batches, counts)) => {
                        stats.file_read(&file.path, file.size, &counts);
                        for b in batches {
                            let out = with_path_columns(&schema, &sources, &values, b);
                            if tx.blocking_send(out).is_err() {
                                return; // the query was dropped: stop reading
                            }
                        }
                    }
                    Err(why) => {
                        // A transfer that failed is not a damaged file: the answer would miss its
                        // records, so the query fails, whatever --strict says.
                        let failure = objects.as_ref().and_then(|o| o.failure(&file.path));
                        if strict || failure.is_some() {
                            let why = failure.unwrap_or(why);
                            let msg = format!("cannot read {}: {why}", file.path.display());
                            let _ = tx.blocking_send(Err(DataFusionError::Execution(msg)));
                            return;
                        }
                        stats.unreadable(&file.path, &why);
                    }
                }
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

/// A parsed batch with the partition columns added, in the projection's order.
fn with_path_columns(
    schema: &SchemaRef,
    sources: &[Source],
    values: &[Option<String>],
    batch: RecordBatch,
) -> datafusion::common::Result<RecordBatch> {
    let rows = batch.num_rows();
    let columns: Vec<ArrayRef> = sources
        .iter()
        .map(|s| match s {
            Source::File(i) => batch.column(*i).clone(),
            Source::Path(j) => {
                let v = values.get(*j).cloned().flatten();
                Arc::new(StringArray::from(vec![v; rows])) as ArrayRef
            }
        })
        .collect();
    Ok(RecordBatch::try_new_with_options(
        schema.clone(),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )?)
}
