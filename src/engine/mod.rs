//! Engines: where rendered SQL runs. An engine runs a statement to its end and returns its rows
//! with their column types; Athena's also answers for executions by id. There is one interface,
//! object-safe: the engine is opened once, from settings (`open`), and every command that runs SQL
//! takes a `&dyn Engine`. Engines never print: progress goes through the `Progress` they are
//! given, notices through the `Notify` they were opened with; signals come through `Stop`.

#[cfg(feature = "aws")]
pub mod athena;
#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "aws")]
pub mod budget;
pub mod csv;
pub mod estimate;
#[cfg(feature = "aws")]
pub mod glue;
pub mod local;
pub mod stop;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::render::{Dialect, TimeWindow};
use crate::settings::{EngineKind, Settings};
use crate::table::{FieldSet, TableProfile};

pub use stop::{Signal, Stop};

/// Where status notices go (the command's printer: stderr, silenced by --quiet).
pub type Notify = Arc<dyn Fn(&str) + Send + Sync>;

/// What a build without the `aws` feature says when asked for something only AWS serves.
pub fn without_aws(what: &str) -> EngineError {
    EngineError::WithoutAws(what.to_string())
}

/// What a query gave: its rows, and the footer line for stderr.
#[derive(Debug)]
pub struct Answer {
    pub rows: ResultSet,
    pub footer: Footer,
}

/// What a statement read and what it cost, and the line that says so.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footer {
    pub text: String,
    /// Bytes Athena scanned, or the bytes the embedded engine read.
    pub scanned: i64,
    /// What Athena billed for it; nothing on the embedded engine.
    pub cost_usd: f64,
}

impl std::fmt::Display for Footer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where rendered SQL runs.
#[async_trait]
pub trait Engine: Send + Sync {
    /// The SQL dialect the library renders for this engine.
    fn dialect(&self) -> Dialect;

    /// The fields the data really has, when the engine can tell (the files' headers); the query's
    /// needs are then checked against these instead of the configured table.
    fn fields(&self) -> Option<FieldSet> {
        None
    }

    /// The table as the engine reads it, when it differs from the configured one: the fields the
    /// data has, the layout its paths show. Queries are rendered against it.
    fn table(&self) -> Option<TableProfile> {
        None
    }

    /// The functions its SQL can call, for completion in the shell (empty when it cannot tell).
    fn function_names(&self) -> Vec<String> {
        Vec::new()
    }

    /// Runs one statement to the end, handing its rows to `sink` as they arrive; returns the
    /// footer. Rows are never all held at once unless the sink keeps them.
    async fn query_into(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
        sink: &mut dyn RowSink,
    ) -> Result<Footer, EngineError>;

    /// Runs one statement to the end and returns all its rows.
    async fn query(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Answer, EngineError> {
        let mut rows = ResultSet::default();
        let footer = self.query_into(sql, opts, progress, &mut rows).await?;
        Ok(Answer { rows, footer })
    }

    /// What a statement would scan, without starting it (`--estimate`); `None` on an engine that
    /// costs nothing.
    async fn cost(&self, sql: &str, opts: &RunOptions) -> Result<Option<estimate::Cost>, EngineError> {
        let _ = (sql, opts);
        Ok(None)
    }

    /// Checks statements that are to run together (a report's sections, a conversion's
    /// statements) against the scan limit before the first starts: one over it refuses them all,
    /// naming each that is over. Each is checked again where it starts; this only makes sure
    /// none has started when one would be refused.
    async fn admit(&self, statements: &[Planned<'_>]) -> Result<(), EngineError> {
        let _ = statements;
        Ok(())
    }

    /// Reads the table once, into memory, for the statements that follow (a report's sections),
    /// when it fits; answers the bytes read, or `None` when it did not (Athena; a source too large).
    async fn read_once(&self) -> Result<Option<i64>, EngineError> {
        Ok(None)
    }

    /// What to print on stderr when a statement failed (what was read, what it cost).
    fn footer_on_error(&self) -> Option<String> {
        None
    }

    /// An execution's state and statistics, by id.
    async fn status(&self, id: &str) -> Result<Execution, EngineError> {
        let _ = id;
        Err(unsupported("executions by id"))
    }

    /// A finished execution's rows, by id, handed to `sink` as they are read; returns the footer.
    async fn results_into(&self, id: &str, sink: &mut dyn RowSink) -> Result<Footer, EngineError> {
        let _ = (id, sink);
        Err(unsupported("executions by id"))
    }

    /// Stops an execution, by id.
    async fn cancel(&self, id: &str) -> Result<(), EngineError> {
        let _ = id;
        Err(unsupported("executions by id"))
    }

    /// The work group's executions submitted since `since` that `keep` keeps, newest first, at
    /// most `limit`.
    async fn history(
        &self,
        workgroup: &str,
        since: jiff::Timestamp,
        limit: usize,
        keep: &(dyn for<'e> Fn(&'e Execution) -> bool + Sync),
    ) -> Result<Vec<Execution>, EngineError> {
        let _ = (workgroup, since, limit, keep);
        Err(unsupported("execution history"))
    }
}

fn unsupported(what: &str) -> EngineError {
    EngineError::Unsupported(format!("the embedded engine has no {what}: they exist on Athena only"))
}

/// Opens the engine the settings choose. The embedded engine reads `local`'s source for `window`.
pub async fn open(
    settings: &Settings,
    local: Option<&local::LocalOptions>,
    window: &TimeWindow,
    notify: Notify,
) -> Result<Box<dyn Engine>, EngineError> {
    let stop = Stop::install();
    match settings.engine {
        #[cfg(feature = "aws")]
        EngineKind::Athena => Ok(Box::new(athena::Athena::connect(settings, notify, stop).await?)),
        #[cfg(not(feature = "aws"))]
        EngineKind::Athena => Err(without_aws("the Athena engine")),
        EngineKind::Local => {
            let opts =
                local.ok_or_else(|| EngineError::Unsupported("this command runs on Athena only".into()))?;
            #[cfg(feature = "aws")]
            let aws = match local::is_remote(&opts.source) {
                true => Some(aws::Aws::connect(settings, notify).await?),
                false => None,
            };
            // Without AWS, the engine refuses a remote source itself (`remote_none::select`).
            #[cfg(not(feature = "aws"))]
            let aws: Option<local::remote::Aws> = {
                let _ = notify;
                None
            };
            Ok(Box::new(local::LocalEngine::open(opts, &settings.table, window, aws.as_ref(), stop).await?))
        }
    }
}

/// A statement's state, as Athena names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl State {
    pub fn is_final(self) -> bool {
        matches!(self, State::Succeeded | State::Failed | State::Cancelled)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Queued => "QUEUED",
            State::Running => "RUNNING",
            State::Succeeded => "SUCCEEDED",
            State::Failed => "FAILED",
            State::Cancelled => "CANCELLED",
        })
    }
}

/// What an engine knows about one execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub id: String,
    pub state: State,
    pub sql: String,
    /// DML, DDL or UTILITY.
    pub statement_type: String,
    pub workgroup: Option<String>,
    pub database: Option<String>,
    pub reason: Option<String>,
    pub error_category: Option<i32>,
    pub error_type: Option<i32>,
    pub data_scanned: i64,
    pub engine_ms: i64,
    pub queue_ms: i64,
    pub reused: bool,
    pub output_location: Option<String>,
    /// When it was submitted, and its total run time (queue, planning and engine).
    pub submitted: Option<jiff::Timestamp>,
    pub total_ms: i64,
}

/// The library query a statement came from, by the line athq ends Athena SQL with
/// (`-- athq: reject-top v2`).
pub fn library_query_of(sql: &str) -> Option<&str> {
    sql.lines().rev().find_map(|l| l.trim().strip_prefix(crate::render::PROVENANCE)).map(str::trim)
}

/// Athena's price per TiB scanned, and its per-query minimum.
pub const USD_PER_TIB: f64 = 5.0;
pub const MIN_BILLED_BYTES: i64 = 10 * 1024 * 1024;

impl Execution {
    /// What the query cost at $5/TB with the 10 MB minimum; DDL and failed queries cost nothing.
    pub fn cost_usd(&self) -> f64 {
        if self.statement_type != "DML" || self.state == State::Failed || self.reused {
            return 0.0;
        }
        let billed = self.data_scanned.max(MIN_BILLED_BYTES) as f64;
        billed / 1024f64.powi(4) * USD_PER_TIB
    }

    /// The footer, with its figures.
    pub fn summary(&self) -> Footer {
        Footer { text: self.footer(), scanned: self.data_scanned, cost_usd: self.cost_usd() }
    }

    /// `query 1a2b… SUCCEEDED · scanned 12.5 MiB · engine 1.2 s · queue 0.1 s · cost $0.0001 · reused: no`
    pub fn footer(&self) -> String {
        format!(
            "query {} {} · scanned {} · engine {:.1} s · queue {:.1} s · cost ${:.4} · reused: {}",
            self.id,
            self.state,
            human_bytes(self.data_scanned),
            self.engine_ms as f64 / 1000.0,
            self.queue_ms as f64 / 1000.0,
            self.cost_usd(),
            if self.reused { "yes" } else { "no" }
        )
    }
}

pub fn human_bytes(n: i64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[unit]) }
}

/// How a column's values should be treated when printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Float,
    Boolean,
    Text,
}

impl Kind {
    /// From an Athena (Trino) type name: `bigint`, `decimal(10,2)`, `varchar`, …
    pub fn from_athena(ty: &str) -> Kind {
        let base = ty.split('(').next().unwrap_or(ty).trim().to_ascii_lowercase();
        match base.as_str() {
            "tinyint" | "smallint" | "integer" | "int" | "bigint" => Kind::Integer,
            "real" | "float" | "double" | "decimal" => Kind::Float,
            "boolean" => Kind::Boolean,
            _ => Kind::Text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// Rows as text (NULL as `None`), with their columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultSet {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Where a statement's rows go as they arrive: a printer writes them out, a `ResultSet` keeps them.
/// An error from the sink (stdout closed, disk full) stops the statement and comes back as
/// `EngineError::Output`.
pub trait RowSink: Send {
    /// The result's columns, once, before any row.
    fn columns(&mut self, columns: &[Column]) -> anyhow::Result<()>;
    /// The next rows, in order.
    fn rows(&mut self, rows: Vec<Vec<Option<String>>>) -> anyhow::Result<()>;
}

impl RowSink for ResultSet {
    fn columns(&mut self, columns: &[Column]) -> anyhow::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn rows(&mut self, mut rows: Vec<Vec<Option<String>>>) -> anyhow::Result<()> {
        self.rows.append(&mut rows);
        Ok(())
    }
}

/// What a running statement reports while the caller waits.
pub trait Progress: Send + Sync {
    fn update(&self, state: State, elapsed: Duration, data_scanned: i64);
    fn finish(&self);
}

/// AWS error codes that mean the request named something that does not exist (exit 2).
const MISSING_CODES: &[&str] = &["NoSuchBucket", "EntityNotFoundException", "ResourceNotFoundException"];

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{service} {operation} ({resource}): {message}")]
    Aws {
        service: &'static str,
        operation: &'static str,
        resource: String,
        code: Option<String>,
        message: String,
    },
    #[error("query {id} failed: {reason}")]
    Failed { id: String, reason: String, category: Option<i32>, footer: String },
    #[error("query {id} was cancelled{}", reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    Cancelled { id: String, reason: Option<String>, hint: Option<String> },
    #[error("interrupted by {}{}", signal.name(), id.as_deref().map(|i| format!(": query {i} was stopped")).unwrap_or_default())]
    Interrupted { id: Option<String>, signal: Signal },
    #[error("timed out after {secs} s{}", id.as_deref().map(|i| format!(": query {i} was stopped")).unwrap_or_default())]
    TimedOut { id: Option<String>, secs: u64 },
    /// A run that gave up while its query was running: the query was stopped.
    #[error("query {id} was stopped because athq gave up waiting: {cause}")]
    GaveUp { id: String, cause: Box<EngineError> },
    #[error("query {id} has no results yet: it is {state}")]
    NotFinished { id: String, state: State },
    /// The SQL does not fit the engine (exit 1, like a FAILED query).
    #[error("the SQL does not run on the embedded engine: {0}")]
    Sql(String),
    /// Nothing to read (exit 2).
    #[error("{message}")]
    NoData { message: String, hint: String },
    /// The engine cannot do this (exit 2).
    #[error("{0}")]
    Unsupported(String),
    /// Not started: over the scan limit, or not estimable while a limit is set (exit 2).
    #[error("{message}")]
    OverLimit { message: String, hint: String },
    /// A build without the `aws` feature was asked for something only AWS serves (exit 2).
    #[error("{0} needs AWS, and this athq was built without it (cargo's `--no-default-features`)")]
    WithoutAws(String),
    /// The request or its settings cannot work (exit 2).
    #[error("{0}")]
    Config(String),
    /// Something failed while running (exit 1).
    #[error("{0}")]
    Runtime(String),
    /// The embedded engine's query needed more memory than its limit (exit 1).
    #[error("{0}")]
    Memory(String),
    /// The rows could not be written out (the caller's error, handed back as it was).
    #[error("{0}")]
    Output(anyhow::Error),
}

impl EngineError {
    /// The footer of a query that ran and failed, for stderr.
    pub fn footer(&self) -> Option<&str> {
        match self {
            EngineError::Failed { footer, .. } => Some(footer),
            _ => None,
        }
    }

    /// Whether this is the user's input to fix (exit 2) rather than a failure (exit 1).
    pub fn is_input(&self) -> bool {
        match self {
            EngineError::Config(_)
            | EngineError::OverLimit { .. }
            | EngineError::NoData { .. }
            | EngineError::Unsupported(_)
            | EngineError::WithoutAws(_) => true,
            // The configured database or table does not exist: the settings to fix, like a
            // missing bucket, not a query that went wrong.
            EngineError::Failed { reason, .. } => {
                reason.starts_with("SCHEMA_NOT_FOUND") || reason.starts_with("TABLE_NOT_FOUND")
            }
            EngineError::Aws { code: Some(code), message, .. } => {
                MISSING_CODES.contains(&code.as_str())
                    || (code == "InvalidRequestException" && message.contains("not found"))
            }
            _ => false,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            EngineError::Failed { reason, .. } if reason.starts_with("SCHEMA_NOT_FOUND") => Some(
                "create the database (`athq exec --sql 'CREATE DATABASE name'`), or set database in athq.yaml, ATHQ_DATABASE or --database".into(),
            ),
            EngineError::Failed { reason, .. } if reason.starts_with("TABLE_NOT_FOUND") => Some(
                "create the table with `athq table create`, or set table.name in athq.yaml, ATHQ_TABLE or --table".into(),
            ),
            EngineError::Failed { category: Some(2), .. } => {
                Some("the SQL or the table does not fit: `athq render` shows the statement that ran".into())
            }
            EngineError::Failed { category: Some(1), .. } => {
                Some("Athena had an internal error: re-running usually works".into())
            }
            EngineError::Cancelled { hint, .. } => hint.clone(),
            EngineError::Aws { code: Some(code), .. } if code == "NoSuchBucket" => Some(
                "check the bucket name in --source, output_location or table.location, and the region".into(),
            ),
            EngineError::Aws { code: Some(code), message, .. }
                if code == "EntityNotFoundException" && message.contains("Database") =>
            {
                Some("create the database (`athq exec --sql 'CREATE DATABASE name'`), or set database in athq.yaml or --database".into())
            }
            EngineError::Aws { code: Some(code), .. } if code == "EntityNotFoundException" => {
                Some("create the table with `athq table create`, or set table.name in athq.yaml or --table".into())
            }
            EngineError::Aws { message, .. } if message.contains("WorkGroup") && message.contains("not found") => {
                Some("check the work group name (workgroup in athq.yaml, ATHQ_WORKGROUP or --workgroup)".into())
            }
            EngineError::Aws { code: Some(code), .. }
                if code.contains("Credentials") || code.contains("Token") || code.contains("AccessDenied") =>
            {
                Some("check your AWS credentials and permissions (AWS_PROFILE, `aws sso login`, or --profile)".into())
            }
            EngineError::Aws { message, .. } if message.contains("credentials") => {
                Some("check your AWS credentials (AWS_PROFILE, `aws sso login`, or --profile)".into())
            }
            EngineError::Aws { message, .. } if message.starts_with("cannot reach") => Some(
                "check the network and the endpoint (--endpoint-url, AWS_ENDPOINT_URL, endpoint_url in athq.yaml)".into(),
            ),
            EngineError::GaveUp { id, .. } => Some(format!("`athq status {id}` shows what it did before it was stopped")),
            EngineError::NotFinished { id, .. } => Some(format!("wait for it: `athq status {id}`")),
            EngineError::NoData { hint, .. } | EngineError::OverLimit { hint, .. } => Some(hint.clone()),
            EngineError::Sql(_) => Some(
                "`DESCRIBE <table>` lists the columns; the README lists the Trino functions the embedded engine adds".into(),
            ),
            EngineError::Unsupported(_) => Some("leave out --engine local (or `engine: local` in athq.yaml)".into()),
            EngineError::WithoutAws(_) => {
                Some("build athq with its default features: `cargo build --release` or `cargo install --path .`".into())
            }
            EngineError::Memory(_) => Some(
                "raise the limit with --memory-limit SIZE (ATHQ_MEMORY_LIMIT, memory_limit in athq.yaml): sorts spill \
                 past it; an aggregation spills too, but merging its spilled groups needs room of its own, so one with \
                 millions of groups can fail under a small limit; joins and window partitions must fit whole"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// Sleeps for the timeout, or forever when there is none: a `select!` arm either way.
pub async fn timeout(limit: Option<Duration>) {
    match limit {
        Some(t) => tokio::time::sleep(t).await,
        None => std::future::pending().await,
    }
}

/// Options for one statement.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Reuse a result up to this many minutes old (Athena result reuse).
    pub reuse_minutes: Option<u32>,
    /// Stop the query after this long.
    pub timeout: Option<Duration>,
    /// Idempotency token for StartQueryExecution (32–128 characters).
    pub client_request_token: Option<String>,
    /// SQL literals for the statement's `?` placeholders, in order.
    pub parameters: Vec<String>,
    /// What athq knows the statement reads of the table, when athq wrote it (a library query, a
    /// conversion); else the scan limit reads the SQL and counts every partition.
    pub scope: Option<Scope>,
}

/// What a statement athq wrote reads of the configured table: the window its partition
/// predicates select and the columns it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub window: TimeWindow,
    pub columns: Vec<String>,
}

/// One of several statements to run together, by the name a refusal gives it.
#[derive(Debug, Clone, Copy)]
pub struct Planned<'a> {
    pub label: &'a str,
    pub sql: &'a str,
    pub opts: &'a RunOptions,
}
