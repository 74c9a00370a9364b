//! A build without AWS reads no S3 or CloudWatch Logs source (`select` refuses them): these types
//! stand where theirs would, and have no values.

use std::sync::Arc;

use datafusion::prelude::SessionContext;

use crate::engine::EngineError;
use crate::engine::local::LocalOptions;
use crate::engine::local::files::{LogFile, Selection};
use crate::engine::stop::Stop;
use crate::render::TimeWindow;
use crate::table::TableProfile;

/// AWS settings and clients: none in this build.
#[derive(Debug)]
pub enum Aws {}

/// A bucket: none in this build.
#[derive(Debug)]
pub enum Store {}

/// S3 objects read in place: none in this build.
#[derive(Debug)]
pub enum Objects {}

impl Objects {
    pub fn prefetch<'a>(&self, _next: impl Iterator<Item = &'a std::path::Path>) {
        match *self {}
    }

    pub fn open(&self, _path: &std::path::Path) -> Box<dyn std::io::Read + Send> {
        match *self {}
    }

    pub fn failure(&self, _path: &std::path::Path) -> Option<String> {
        match *self {}
    }
}

/// Every source is on disk here: an `s3://` or `logs:` one is refused.
pub async fn select(
    opts: &LocalOptions,
    _table: &TableProfile,
    _window: &TimeWindow,
    _aws: Option<&Aws>,
    _stop: &Stop,
) -> Result<Option<(Selection, Option<tempfile::TempDir>, Option<Store>)>, EngineError> {
    match super::is_remote(&opts.source) {
        true => Err(crate::engine::without_aws("an s3:// or logs: source")),
        false => Ok(None),
    }
}

pub fn fetched(store: &Store) -> u64 {
    match *store {}
}

pub async fn footers(
    _ctx: &SessionContext,
    store: &Store,
    _files: Vec<LogFile>,
) -> Result<Vec<(Result<u64, String>, LogFile)>, EngineError> {
    match *store {}
}

#[allow(clippy::type_complexity)]
pub async fn headers(
    store: &Store,
    _files: Vec<LogFile>,
    _headerless: Option<Vec<String>>,
) -> (Vec<(Result<Vec<String>, String>, LogFile)>, Option<Arc<Objects>>) {
    match *store {}
}
