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
/// Times a download cut off mid-object is resumed (a ranged GET from the first byte not yet
/// received) before the read fails.
const RESUMES: u32 = 4;

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
        self.body_if(key, range, None).await
    }

    /// The same, only while the object is still the one with entity tag `etag` (a resumed read
    /// must not splice two versions of an object).
    async fn body_if(
        &self,
        key: &str,
        range: Option<String>,
        etag: Option<&str>,
    ) -> Result<(aws_sdk_s3::operation::get_object::GetObjectOutput, String), EngineError> {
        let url = format!("s3://{}/{key}", self.bucket);
        let out = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_range(range)
            .set_if_match(etag.map(String::from))
            .send()
            .await
            .map_err(aws_error("S3", "GetObject", &url))?;
        Ok((out, url))
    }

    /// Streams a GetObject body (the bytes `start..end` of the object, `end` exclusive or the
    /// object's end) as chunks, counting them. A transfer cut off is resumed from the first byte
    /// not yet received, while the object is the same version (`etag`), up to `RESUMES` times;
    /// then the stream fails, saying so.
    fn chunks(
        &self,
        key: &str,
        body: aws_sdk_s3::primitives::ByteStream,
        (start, end): (u64, Option<u64>),
        etag: Option<String>,
    ) -> BoxStream<'static, Result<Bytes, EngineError>> {
        let store = self.clone_handle();
        let (key, url) = (key.to_string(), format!("s3://{}/{key}", self.bucket));
        let state = (Some(body), start, 0u32);
        futures::stream::try_unfold(state, move |(body, at, resumes)| {
            let (store, key, url, etag) = (store.clone_handle(), key.clone(), url.clone(), etag.clone());
            async move {
                let (mut body, at, mut resumes) = match body {
                    Some(body) => (body, at, resumes),
                    None => return Ok(None),
                };
                loop {
                    match body.try_next().await {
                        Ok(Some(bytes)) => {
                            store.fetched.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                            let next = at + bytes.len() as u64;
                            return Ok(Some((bytes, (Some(body), next, resumes))));
                        }
                        Ok(None) => return Ok(None),
                        Err(e) if resumes == RESUMES => {
                            return Err(EngineError::Runtime(format!(
                                "the download of {url} broke off at byte {at} and again on each of {RESUMES} resumptions: {e}"
                            )));
                        }
                        Err(_) => {
                            resumes += 1;
                            tokio::time::sleep(std::time::Duration::from_millis(50 << resumes)).await;
                            let range = match end {
                                Some(end) => format!("bytes={at}-{}", end.saturating_sub(1)),
                                None => format!("bytes={at}-"),
                            };
                            let (out, _) = store.body_if(&key, Some(range), etag.as_deref()).await?;
                            body = out.body;
                        }
                    }
                }
            }
        })
        .boxed()
    }

    /// Another handle on the same bucket, client and byte count.
    fn clone_handle(&self) -> S3Store {
        S3Store { s3: self.s3.clone(), bucket: self.bucket.clone(), fetched: self.fetched.clone() }
    }

    /// The first bytes of an object, decompressed when its name ends in `.gz`, up to its first
    /// line break: where a text file's header is.
    /// A download that failed in transfer (not because the object is gone) is recorded in
    /// `objects`, so that the query fails rather than skipping the object.
    pub async fn first_line(&self, key: &str, objects: &Objects) -> Result<Vec<u8>, String> {
        let range = format!("bytes=0-{}", HEAD_BYTES - 1);
        let fetched = async {
            let (out, _) = self.body(key, Some(range)).await?;
            let etag = out.e_tag().map(String::from);
            self.chunks(key, out.body, (0, Some(HEAD_BYTES)), etag).map_ok(|b| b.to_vec()).try_concat().await
        };
        let bytes: Vec<u8> = fetched.await.map_err(|e| match is_gone(&e) {
            true => e.to_string(),
            false => objects.fail(key, e).to_string(),
        })?;
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
        let (out, _) = me.body(key, header).await.map_err(generic)?;
        let length = out.content_length().unwrap_or(0).max(0) as u64;
        // `bytes 100-199/5000`: the range sent and the object's size.
        let (range, size) = match out.content_range().and_then(parse_content_range) {
            Some((range, size)) => (range, size),
            None => (0..length, length),
        };
        let meta = meta(location, size, out.e_tag());
        let span = (range.start, Some(range.end));
        let etag = out.e_tag().map(String::from);
        let payload = me.chunks(key, out.body, span, etag).map_err(generic).boxed();
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

/// Whether a failed GetObject says the object itself is gone or barred (skipped and named, as a
/// damaged file is), rather than that the transfer failed (which fails the query).
fn is_gone(e: &EngineError) -> bool {
    matches!(e, EngineError::Aws { code: Some(code), .. }
        if matches!(code.as_str(), "NoSuchKey" | "NotFound" | "AccessDenied" | "InvalidObjectState"))
}

/// Text objects read on the scan's reader threads (plain threads, not async workers): each
/// download runs on the runtime and hands its chunks over a bounded channel; the next objects'
/// downloads are started before their readers ask. A download cut off is resumed where it
/// stopped; one that still fails is recorded, so that the query fails rather than skipping the
/// object as damaged.
#[derive(Debug)]
pub struct Objects {
    store: Arc<S3Store>,
    runtime: tokio::runtime::Handle,
    started: Mutex<HashMap<String, tokio::sync::mpsc::Receiver<Result<Bytes, EngineError>>>>,
    /// Keys whose download failed for good, and why.
    failed: Arc<Mutex<HashMap<String, String>>>,
}

impl Objects {
    pub fn new(store: Arc<S3Store>, runtime: tokio::runtime::Handle) -> Objects {
        Objects { store, runtime, started: Mutex::new(HashMap::new()), failed: Default::default() }
    }

    /// Why the object's download failed, when it failed in transfer rather than for its content.
    pub fn failure(&self, path: &FsPath) -> Option<String> {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).get(key_of(path)).cloned()
    }

    /// Records that the object's transfer failed for good.
    fn fail(&self, key: &str, e: EngineError) -> EngineError {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string(), e.to_string());
        e
    }

    fn start(&self, key: &str) -> tokio::sync::mpsc::Receiver<Result<Bytes, EngineError>> {
        let (tx, rx) = tokio::sync::mpsc::channel(CHUNKS);
        let (store, key, failed) = (self.store.clone(), key.to_string(), self.failed.clone());
        self.runtime.spawn(async move {
            let fail = |e: EngineError| {
                failed.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone(), e.to_string());
                e
            };
            let mut chunks = match store.body(&key, None).await {
                Ok((out, _)) => {
                    let etag = out.e_tag().map(String::from);
                    store.chunks(&key, out.body, (0, None), etag)
                }
                Err(e) if is_gone(&e) => return drop(tx.send(Err(e)).await),
                Err(e) => return drop(tx.send(Err(fail(e))).await),
            };
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(fail);
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
    // A prefix names a folder (or one object), as a path on disk does: `v2` is `v2/…` or the
    // object `v2`, never its siblings `v2cut/…`.
    let folder = match prefix {
        "" => String::new(),
        p if p.ends_with('/') => p.to_string(),
        p => format!("{p}/"),
    };
    let mut objects = list_prefix(s3, bucket, &folder).await?;
    if objects.is_empty() && folder != prefix {
        objects = list_prefix(s3, bucket, prefix).await?;
        objects.retain(|(key, _)| key == prefix);
    }
    let mut listed = Vec::new();
    for (key, size) in objects {
        let path = std::path::PathBuf::from(format!("s3://{bucket}/{key}"));
        let kind = match files::kind_of(&path) {
            Some(kind) => kind,
            None if every => files::FileKind::Text,
            None => continue,
        };
        listed.push(files::LogFile { span: files::path_span(FsPath::new(&key)), path, size, kind });
    }
    Ok(listed)
}

/// Every key under `prefix`, with its size.
async fn list_prefix(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<(String, u64)>, EngineError> {
    let mut out = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("S3", "ListObjectsV2", bucket))?;
        out.extend(
            page.contents()
                .iter()
                .filter_map(|o| Some((o.key()?.to_string(), o.size().unwrap_or(0).max(0) as u64))),
        );
    }
    Ok(out)
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
