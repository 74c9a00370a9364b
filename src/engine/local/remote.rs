//! Sources read through AWS: an `s3://` prefix (listed, its objects read in place through
//! `s3`) and a CloudWatch Logs group (`logs:GROUP`, fetched into a temporary folder by `cwlogs`).
//! Opening one lists it, then checks every object's footer or header line, a few at a time.

use std::sync::Arc;

use datafusion::prelude::SessionContext;

use crate::engine::EngineError;
use crate::engine::local::files::{LogFile, Selection};
use crate::engine::local::{LocalOptions, cwlogs, parquet, s3, text};
use crate::engine::stop::Stop;
use crate::render::TimeWindow;
use crate::table::TableProfile;

pub use crate::engine::aws::Aws;
pub use crate::engine::local::s3::Objects;

/// The bucket a source's objects are read from.
pub type Store = Arc<s3::S3Store>;

/// What an S3 or CloudWatch Logs source selects for the window: the files, the folder they were
/// fetched into (logs), the bucket they are read from (S3). `None` for a source on disk.
pub async fn select(
    opts: &LocalOptions,
    table: &TableProfile,
    window: &TimeWindow,
    aws: Option<&Aws>,
    stop: &Stop,
) -> Result<Option<(Selection, Option<tempfile::TempDir>, Option<Store>)>, EngineError> {
    let source = opts.source.as_str();
    check_source(source)?;
    if let Some(logs) = cwlogs::LogsSource::parse(source, opts.interface.as_deref()) {
        let dir =
            tempfile::tempdir().map_err(|e| EngineError::Runtime(format!("temporary directory: {e}")))?;
        let path = dir.path();
        let selection = remote(aws, "a logs:", stop, |aws| async move {
            cwlogs::fetch(&aws.logs(), &logs, &table.fields, window, opts.all, path).await
        })
        .await?;
        return Ok(Some((selection, Some(dir), None)));
    }
    if !source.starts_with("s3://") {
        return Ok(None);
    }
    let (bucket, _) = s3::split(source).unwrap_or_default();
    let (listed, client) = remote(aws, "an s3://", stop, |aws| async move {
        let client = aws.s3();
        Ok((s3::list(&client, source, window, opts.all).await?, client))
    })
    .await?;
    Ok(Some((listed, None, Some(Arc::new(s3::S3Store::new(client, bucket))))))
}

/// A remote source names what it reads: a bucket (`s3://bucket/prefix`, no glob: S3 has none),
/// a log group (`logs:GROUP`).
fn check_source(source: &str) -> Result<(), EngineError> {
    if let Some(group) = source.strip_prefix(crate::engine::local::LOGS_PREFIX)
        && group.trim().is_empty()
    {
        return Err(EngineError::Config(format!(
            "--source {source}: no log group (use logs:GROUP, e.g. logs:/vpc/flow-logs)"
        )));
    }
    if let Some((bucket, key)) = s3::split(source) {
        if bucket.is_empty() {
            return Err(EngineError::Config(format!(
                "--source {source}: no bucket (use s3://BUCKET/PREFIX, e.g. s3://my-logs/AWSLogs/)"
            )));
        }
        if key.contains(['*', '?', '[', '{']) {
            return Err(EngineError::Config(format!(
                "--source {source}: globs are not supported on s3:// sources: name the folder (prefix) \
                 to read, and narrow it with --days or --from/--to"
            )));
        }
    }
    Ok(())
}

/// Bytes fetched from the bucket so far.
pub fn fetched(store: &Store) -> u64 {
    store.fetched()
}

/// Registers the bucket with DataFusion and checks every Parquet object's footer, as
/// `parquet::check` does on disk.
pub async fn footers(
    ctx: &SessionContext,
    store: &Store,
    files: Vec<LogFile>,
) -> Result<Vec<(Result<u64, String>, LogFile)>, EngineError> {
    ctx.register_object_store(store_url(&store.url())?.as_ref(), store.clone());
    Ok(per_object(files, |key, size| async move { parquet::check_remote(store, &key, size).await }).await)
}

/// Every text object's fields, from its first line (see `text::fields_of`), and the reader of
/// the objects.
#[allow(clippy::type_complexity)]
pub async fn headers(
    store: &Store,
    files: Vec<LogFile>,
    headerless: Option<Vec<String>>,
) -> (Vec<(Result<Vec<String>, String>, LogFile)>, Option<Arc<Objects>>) {
    let objects = Objects::new(store.clone(), tokio::runtime::Handle::current());
    let (headerless, objects_ref) = (&headerless, &objects);
    let headed = per_object(files, |key, size| async move {
        if size == 0 {
            return Err("the file is empty".to_string());
        }
        let line = store.first_line(&key, objects_ref).await?;
        text::fields_of(&line, headerless.as_deref()).map(|(names, _)| names)
    })
    .await;
    (headed, Some(Arc::new(objects)))
}

/// Requests to S3 at once while opening: footers and header lines are small, latency dominates.
const S3_CONCURRENCY: usize = 16;

/// `check` run on every object, a few at a time (latency dominates: footers and header lines
/// are small), in the files' order.
async fn per_object<T, Fut>(files: Vec<LogFile>, check: impl Fn(String, u64) -> Fut) -> Vec<(T, LogFile)>
where
    Fut: std::future::Future<Output = T>,
{
    use futures::StreamExt;
    let check = &check;
    futures::stream::iter(files)
        .map(|f| async move { (check(s3::key_of(&f.path).to_string(), f.size).await, f) })
        .buffered(S3_CONCURRENCY)
        .collect()
        .await
}

fn store_url(s: &str) -> Result<datafusion::execution::object_store::ObjectStoreUrl, EngineError> {
    datafusion::execution::object_store::ObjectStoreUrl::parse(s)
        .map_err(|e| EngineError::Config(format!("`{s}`: {e}")))
}

/// Lists or fetches a remote source (S3, CloudWatch Logs) with athq's AWS settings; a signal
/// stops it.
async fn remote<'a, T, F, Fut>(
    aws: Option<&'a Aws>,
    what: &str,
    stop: &Stop,
    fetch: F,
) -> Result<T, EngineError>
where
    F: FnOnce(&'a Aws) -> Fut,
    Fut: std::future::Future<Output = Result<T, EngineError>>,
{
    let aws = aws.ok_or_else(|| EngineError::Config(format!("{what} source needs AWS settings")))?;
    let _guard = stop.guard();
    tokio::select! {
        r = fetch(aws) => r,
        sig = stop.wait() => Err(EngineError::Interrupted { id: None, signal: sig }),
    }
}
