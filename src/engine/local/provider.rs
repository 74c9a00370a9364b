//! The text files as one DataFusion table: the columns are the union of the files' headers, in
//! catalog order; a scan runs one reader thread per partition, each taking the next file from a
//! shared queue as it finishes one (so a large file never holds the others back), parsing only
//! the projected columns. Unreadable files are skipped and reported, or fail the query with
//! `strict`. It must not choose files or print.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, TableType};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};

use crate::engine::EngineError;
use crate::engine::local::files::LogFile;
use crate::engine::local::stats::Stats;
use crate::engine::local::text;
use crate::table::fields;

fn arrow_type(athena_type: &str) -> DataType {
    match athena_type {
        "int" | "bigint" => DataType::Int64,
        _ => DataType::Utf8,
    }
}

#[derive(Debug)]
pub struct TextLogs {
    schema: SchemaRef,
    files: Vec<LogFile>,
    columns: Vec<&'static fields::Field>,
    stats: Arc<Stats>,
    partitions: usize,
    strict: bool,
}

impl TextLogs {
    /// Reads every file's header. A file whose header cannot be read is skipped and reported
    /// (an error with `strict`).
    pub fn open(
        files: Vec<LogFile>,
        stats: Arc<Stats>,
        partitions: usize,
        strict: bool,
    ) -> Result<TextLogs, EngineError> {
        let mut present = vec![false; fields::CATALOG.len()];
        let mut readable = Vec::with_capacity(files.len());
        for f in files {
            match text::header_of(&f.path) {
                Ok(names) => {
                    for name in names {
                        if let Some(i) =
                            fields::lookup(&name).and_then(|fd| fields::CATALOG.iter().position(|c| c == fd))
                        {
                            present[i] = true;
                        }
                    }
                    readable.push(f);
                }
                Err(why) if strict => {
                    return Err(EngineError::Runtime(format!("cannot read {}: {why}", f.path.display())));
                }
                Err(why) => stats.unreadable(&f.path, &why),
            }
        }
        let columns: Vec<&'static fields::Field> =
            fields::CATALOG.iter().zip(&present).filter(|(_, p)| **p).map(|(f, _)| f).collect();
        let cols: Vec<ArrowField> =
            columns.iter().map(|f| ArrowField::new(f.column(), arrow_type(f.athena_type), true)).collect();
        Ok(TextLogs {
            schema: Arc::new(Schema::new(cols)),
            files: readable,
            columns,
            stats,
            partitions,
            strict,
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

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let schema = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => self.schema.clone(),
        };
        // Largest first, so the last files taken are small ones and the threads finish together.
        let mut files = self.files.clone();
        files.sort_by_key(|f| std::cmp::Reverse(f.size));
        let queue = Arc::new(Mutex::new(VecDeque::from(files)));
        let n = self.partitions.max(1).min(self.files.len().max(1));
        let parts: Vec<Arc<dyn PartitionStream>> = (0..n)
            .map(|_| {
                Arc::new(TextPartition {
                    schema: schema.clone(),
                    queue: queue.clone(),
                    stats: self.stats.clone(),
                    strict: self.strict,
                }) as _
            })
            .collect();
        Ok(Arc::new(StreamingTableExec::try_new(schema, parts, None, vec![], false, limit)?))
    }
}

#[derive(Debug)]
struct TextPartition {
    schema: SchemaRef,
    queue: Arc<Mutex<VecDeque<LogFile>>>,
    stats: Arc<Stats>,
    strict: bool,
}

impl PartitionStream for TextPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let (tx, rx) = tokio::sync::mpsc::channel::<datafusion::common::Result<RecordBatch>>(4);
        let (schema, queue, stats, strict) =
            (self.schema.clone(), self.queue.clone(), self.stats.clone(), self.strict);
        std::thread::spawn(move || {
            loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some(file) = next else { return };
                match text::read_file(&file.path, &schema) {
                    Ok((batches, counts)) => {
                        stats.file_read(&file.path, file.size, &counts);
                        for b in batches {
                            if tx.blocking_send(Ok(b)).is_err() {
                                return; // the query was dropped: stop reading
                            }
                        }
                    }
                    Err(why) if strict => {
                        let msg = format!("cannot read {}: {why}", file.path.display());
                        let _ = tx.blocking_send(Err(DataFusionError::Execution(msg)));
                        return;
                    }
                    Err(why) => stats.unreadable(&file.path, &why),
                }
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}
