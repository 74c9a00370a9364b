//! Reading flow logs straight from S3, with athq's own AWS client (one configuration path: the
//! same settings, endpoint and retries as every other AWS call): an object store DataFusion reads
//! Parquet through (ranged GETs of the footers and of the column chunks a query needs), and, for
//! text, readers over GetObject bodies as the bytes arrive (the text reader inflates a gzip
//! object whole once it has arrived, or streams it), with the next objects' downloads started
//! ahead (bounded) so the parser rarely waits for S3; and the listing of a prefix, dated as
//! `files` dates a folder. Nothing is written to disk. It must not choose files or parse records.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bytes::Bytes;
use datafusion::object_store::path::Path;
use datafusion::object_store::{
    self, GetOptions, GetRange, GetResult, GetResultPayload, ListResult, MultipartUpload, ObjectMeta,
    ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult,
};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};

use crate::engine::EngineError;
use crate::engine::aws::aws_error;
use crate::engine::local::files;
use crate::render::TimeWindow;

/// Objects whose download starts before a reader asks for them.
const AHEAD: usize = 8;
/// Chunks a download may run ahead of its reader.
const CHUNKS: usize = 8;
/// How much of an object's start is fetched to read its header line.
const HEAD_BYTES: u64 = 64 * 1024;

/// One bucket, read with athq's S3 client.
#[derive(Debug)]
pub struct S3Store {
    s3: aws_sdk_s3::Client,
    bucket: String,
    /// Bytes received from S3, for the footer.
    fetched: Arc<AtomicU64>,
}

/// `s3://bucket/key` → (`bucket`, `key`).
pub fn split(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("s3://")?;
    Some(rest.split_once('/').unwrap_or((rest, "")))
}

/// The key of an object named by its URL (`s3://bucket/key` → `key`).
pub fn key_of(path: &FsPath) -> &str {
    let text = path.to_str().unwrap_or_default();
    split(text).map(|(_, key)| key).unwrap_or(text)
}

fn generic(e: impl std::error::Error + Send + Sync + 'static) -> object_store::Error {
    object_store::Error::Generic { store: "S3", source: Box::new(e) }
}

impl S3Store {
    pub fn new(s3: aws_sdk_s3::Client, bucket: &str) -> S3Store {
        S3Store { s3, bucket: bucket.to_string(), fetched: Arc::new(AtomicU64::new(0)) }
    }

    pub fn url(&self) -> String {
        format!("s3://{}", self.bucket)
    }

    pub fn fetched(&self) -> u64 {
        self.fetched.load(Ordering::Relaxed)
    }

    /// The object's bytes as they arrive, `range` or all of it.
    async fn body(
        &self,
        key: &str,
        range: Option<String>,
    ) -> Result<(aws_sdk_s3::operation::get_object::GetObjectOutput, String), EngineError> {
        let url = format!("s3://{}/{key}", self.bucket);
        let out = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_range(range)
            .send()
            .await
            .map_err(aws_error("S3", "GetObject", &url))?;
        Ok((out, url))
    }

    /// Streams a GetObject body as chunks, counting them.
    fn chunks(
        &self,
        body: aws_sdk_s3::primitives::ByteStream,
        url: String,
    ) -> BoxStream<'static, Result<Bytes, EngineError>> {
        let fetched = self.fetched.clone();
        futures::stream::try_unfold(Some(body), move |body| {
            let (fetched, url) = (fetched.clone(), url.clone());
            async move {
                let Some(mut body) = body else { return Ok(None) };
                match body.try_next().await {
                    Ok(Some(bytes)) => {
                        fetched.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                        Ok(Some((bytes, Some(body))))
                    }
                    Ok(None) => Ok(None),
                    Err(e) => Err(EngineError::Runtime(format!("reading {url}: {e}"))),
                }
            }
        })
        .boxed()
    }

    /// The first bytes of an object, decompressed when its name ends in `.gz`, up to its first
    /// line break: where a text file's header is.
    pub async fn first_line(&self, key: &str) -> Result<Vec<u8>, String> {
        let range = format!("bytes=0-{}", HEAD_BYTES - 1);
        let (out, url) = self.body(key, Some(range)).await.map_err(|e| e.to_string())?;
        let bytes: Vec<u8> = self
            .chunks(out.body, url)
            .map_ok(|b| b.to_vec())
            .try_concat()
            .await
            .map_err(|e| e.to_string())?;
        let mut reader: Box<dyn BufRead> = match key.ends_with(".gz") {
            true => Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(&bytes[..]))),
            false => Box::new(&bytes[..]),
        };
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
        Ok(line)
    }
}

impl std::fmt::Display for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Store(s3://{})", self.bucket)
    }
}

fn not_implemented(operation: &str) -> object_store::Error {
    object_store::Error::NotImplemented {
        operation: operation.into(),
        implementer: "athq's S3 reader".into(),
    }
}

#[async_trait]
impl ObjectStore for S3Store {
    async fn put_opts(&self, _: &Path, _: PutPayload, _: PutOptions) -> object_store::Result<PutResult> {
        Err(not_implemented("put"))
    }

    async fn put_multipart_opts(
        &self,
        _: &Path,
        _: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        Err(not_implemented("put_multipart"))
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> object_store::Result<GetResult> {
        let me = self;
        let key = location.as_ref();
        if options.head {
            let url = format!("s3://{}/{key}", me.bucket);
            let out = me
                .s3
                .head_object()
                .bucket(&me.bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| generic(aws_error("S3", "HeadObject", &url)(e)))?;
            let size = out.content_length().unwrap_or(0).max(0) as u64;
            let meta = meta(location, size, out.e_tag());
            return Ok(GetResult {
                payload: GetResultPayload::Stream(futures::stream::empty().boxed()),
                meta,
                range: 0..0,
                attributes: Default::default(),
            });
        }
        let header = options.range.as_ref().map(|r| match r {
            GetRange::Bounded(r) => format!("bytes={}-{}", r.start, r.end.saturating_sub(1)),
            GetRange::Offset(o) => format!("bytes={o}-"),
            GetRange::Suffix(n) => format!("bytes=-{n}"),
        });
        let (out, url) = me.body(key, header).await.map_err(generic)?;
        let length = out.content_length().unwrap_or(0).max(0) as u64;
        // `bytes 100-199/5000`: the range sent and the object's size.
        let (range, size) = match out.content_range().and_then(parse_content_range) {
            Some((range, size)) => (range, size),
            None => (0..length, length),
        };
        let meta = meta(location, size, out.e_tag());
        let payload = me.chunks(out.body, url).map_err(generic).boxed();
        Ok(GetResult {
            payload: GetResultPayload::Stream(payload),
            meta,
            range,
            attributes: Default::default(),
        })
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        locations.map(|_| Err(not_implemented("delete"))).boxed()
    }

    fn list(&self, _: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        futures::stream::once(async { Err(not_implemented("list")) }).boxed()
    }

    async fn list_with_delimiter(&self, _: Option<&Path>) -> object_store::Result<ListResult> {
        Err(not_implemented("list_with_delimiter"))
    }

    async fn copy_opts(&self, _: &Path, _: &Path, _: object_store::CopyOptions) -> object_store::Result<()> {
        Err(not_implemented("copy"))
    }
}

fn meta(location: &Path, size: u64, e_tag: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        location: location.clone(),
        last_modified: Default::default(),
        size,
        e_tag: e_tag.map(String::from),
        version: None,
    }
}

fn parse_content_range(v: &str) -> Option<(Range<u64>, u64)> {
    let (span, size) = v.strip_prefix("bytes ")?.split_once('/')?;
    let (a, b) = span.split_once('-')?;
    let (a, b, size) = (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?, size.parse::<u64>().ok()?);
    Some((a..b + 1, size))
}

/// Text objects read on the scan's reader threads (plain threads, not async workers): each
/// download runs on the runtime and hands its chunks over a bounded channel; the next objects'
/// downloads are started before their readers ask.
#[derive(Debug)]
pub struct Objects {
    store: Arc<S3Store>,
    runtime: tokio::runtime::Handle,
    started: Mutex<HashMap<String, tokio::sync::mpsc::Receiver<Result<Bytes, EngineError>>>>,
}

impl Objects {
    pub fn new(store: Arc<S3Store>, runtime: tokio::runtime::Handle) -> Objects {
        Objects { store, runtime, started: Mutex::new(HashMap::new()) }
    }

    fn start(&self, key: &str) -> tokio::sync::mpsc::Receiver<Result<Bytes, EngineError>> {
        let (tx, rx) = tokio::sync::mpsc::channel(CHUNKS);
        let (store, key) = (self.store.clone(), key.to_string());
        self.runtime.spawn(async move {
            let mut chunks = match store.body(&key, None).await {
                Ok((out, url)) => store.chunks(out.body, url),
                Err(e) => return drop(tx.send(Err(e)).await),
            };
            while let Some(chunk) = chunks.next().await {
                let failed = chunk.is_err();
                if tx.send(chunk).await.is_err() || failed {
                    return;
                }
            }
        });
        rx
    }

    /// Starts the downloads of the objects a reader will ask for next (at most `AHEAD` waiting).
    pub fn prefetch<'a>(&self, next: impl Iterator<Item = &'a FsPath>) {
        let mut started = self.started.lock().unwrap_or_else(|e| e.into_inner());
        for path in next.take(AHEAD) {
            if started.len() >= AHEAD {
                break;
            }
            let key = key_of(path);
            if !started.contains_key(key) {
                let rx = self.start(key);
                started.insert(key.to_string(), rx);
            }
        }
    }

    /// A blocking reader over the object's bytes, from its download (started now if it was not).
    pub fn open(&self, path: &FsPath) -> Box<dyn Read + Send> {
        let key = key_of(path);
        let taken = self.started.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
        let rx = taken.unwrap_or_else(|| self.start(key));
        Box::new(ChannelReader { rx, current: Bytes::new() })
    }
}

struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, EngineError>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(bytes)) => self.current = bytes,
                Some(Err(e)) => return Err(std::io::Error::other(e.to_string())),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Lists an `s3://bucket/prefix` and keeps the window's objects, named by their URLs
/// (`s3://bucket/key`, the folders dated as on disk). Nothing is downloaded.
pub async fn list(
    s3: &aws_sdk_s3::Client,
    url: &str,
    window: &TimeWindow,
    all: bool,
) -> Result<files::Selection, EngineError> {
    Ok(files::select(list_objects(s3, url, false).await?, window, all))
}

/// Every object under an `s3://bucket/prefix`, dated by its path. Objects that are not flow-log
/// files by name are left out, unless `every` (what Athena reads under a table: all of them,
/// counted as text).
pub async fn list_objects(
    s3: &aws_sdk_s3::Client,
    url: &str,
    every: bool,
) -> Result<Vec<files::LogFile>, EngineError> {
    let (bucket, prefix) = split(url).unwrap_or((url, ""));
    let mut listed = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("S3", "ListObjectsV2", bucket))?;
        for obj in page.contents() {
            let Some(key) = obj.key() else { continue };
            let path = std::path::PathBuf::from(format!("s3://{bucket}/{key}"));
            let kind = match files::kind_of(&path) {
                Some(kind) => kind,
                None if every => files::FileKind::Text,
                None => continue,
            };
            listed.push(files::LogFile {
                span: files::path_span(FsPath::new(key)),
                path,
                size: obj.size().unwrap_or(0).max(0) as u64,
                kind,
            });
        }
    }
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(parse_content_range("bytes 100-199/5000"), Some((100..200, 5000)));
        assert_eq!(parse_content_range("bytes */5000"), None);
        assert_eq!(split("s3://b/k/x.log"), Some(("b", "k/x.log")));
        assert_eq!(split("s3://b"), Some(("b", "")));
    }
}
