//! Engines: where rendered SQL runs. An engine starts a statement, follows it to a final state,
//! and returns its rows with their column types. The engine is chosen once, from settings, and
//! passed to the commands. Engines never print: progress goes through the `Progress` they are given.

pub mod athena;
pub mod csv;
pub mod glue;
pub mod local;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::render::Dialect;
use crate::table::{FieldSet, TableProfile};

/// What a query gave: its rows, and the footer line for stderr.
#[derive(Debug)]
pub struct Answer {
    pub rows: ResultSet,
    pub footer: String,
}

/// Where rendered SQL runs. Chosen once, from settings, and passed to the commands.
pub trait Engine {
    /// The SQL dialect the library renders for this engine.
    fn dialect(&self) -> Dialect;

    /// The fields the data really has, when the engine can tell (the files' headers); the query's
    /// needs are then checked against these instead of the configured table.
    fn fields(&self) -> Option<FieldSet> {
        None
    }

    /// Runs one statement to the end and returns its rows.
    fn query(
        &self,
        table: &TableProfile,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> impl Future<Output = Result<Answer, EngineError>>;
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

/// What a running statement reports while the caller waits.
pub trait Progress {
    fn update(&self, state: State, elapsed: Duration, data_scanned: i64);
    fn finish(&self);
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{operation} failed: {detail}")]
    Aws { operation: &'static str, code: Option<String>, detail: String },
    #[error("query {id} failed: {reason}")]
    Failed { id: String, reason: String, category: Option<i32>, footer: String },
    #[error("query {id} was cancelled")]
    Cancelled { id: String },
    #[error("interrupted: query {id} was stopped")]
    Interrupted { id: String },
    #[error("timed out after {secs} s: query {id} was stopped")]
    TimedOut { id: String, secs: u64 },
    #[error("query {id} has no results yet: it is {state}")]
    NotFinished { id: String, state: State },
    /// The request or its settings cannot work (exit 2).
    #[error("{0}")]
    Config(String),
    /// Something failed while running (exit 1).
    #[error("{0}")]
    Runtime(String),
}

impl EngineError {
    /// The footer of a query that ran and failed, for stderr.
    pub fn footer(&self) -> Option<&str> {
        match self {
            EngineError::Failed { footer, .. } => Some(footer),
            _ => None,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            EngineError::Failed { category: Some(2), .. } => {
                Some("the SQL or the table does not fit: `athq render` shows the statement that ran".into())
            }
            EngineError::Failed { category: Some(1), .. } => {
                Some("Athena had an internal error: re-running usually works".into())
            }
            EngineError::Aws { code: Some(code), .. }
                if code.contains("Credentials") || code.contains("Token") =>
            {
                Some("check your AWS credentials (AWS_PROFILE, `aws sso login`, or --profile)".into())
            }
            EngineError::Aws { detail, .. } if detail.contains("credentials") => {
                Some("check your AWS credentials (AWS_PROFILE, `aws sso login`, or --profile)".into())
            }
            EngineError::NotFinished { id, .. } => Some(format!("wait for it: `athq status {id}`")),
            _ => None,
        }
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
}
