//! The embedded engine: the same rendered library over flow-log files, with Apache DataFusion.
//! It opens once from a source (a directory, a glob, an `s3://` prefix or a `logs:` group):
//! chooses the window's files (`files`), checks them (`parquet`, the text headers in `provider`),
//! registers them as the configured table, and then runs statements, stopping within a second on
//! a signal or timeout. Parts: `files` (discovery and dating), `text` (the text reader),
//! `provider` (the table), `remote` (sources read through AWS: `s3` reads objects in place,
//! `cwlogs` fetches log events; a build without AWS has a stand-in), `parquet` (footer checks),
//! `udf` (CIDR functions, types), `trino` (Trino's functions), `convert` (results), `stats`
//! (the footer).
//! It must not print.

pub mod balance;
pub mod convert;
#[cfg(feature = "aws")]
pub mod cwlogs;
pub mod files;
pub mod fun;
pub mod gunzip;
pub mod json;
pub mod memory;
pub mod names;
pub mod nested;
pub mod overflow;
pub mod parquet;
pub mod pasted;
pub mod provider;
/// S3 and CloudWatch Logs sources; a build without AWS has none, and this stands in for them.
#[cfg(feature = "aws")]
pub mod remote;
#[cfg(not(feature = "aws"))]
#[path = "remote_none.rs"]
pub mod remote;
#[cfg(feature = "aws")]
pub mod s3;
pub mod stats;
pub mod text;
pub mod trino;
pub mod udf;
pub mod unnest;
pub mod zones;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use async_trait::async_trait;
use datafusion::common::DataFusionError;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

use crate::engine::local::files::{FileKind, LogFile, Selection};
use crate::engine::local::provider::TextLogs;
use crate::engine::local::stats::Stats;
use crate::engine::stop::Stop;
use crate::engine::{Engine, EngineError, Footer, Progress, RowSink, RunOptions};
use crate::render::{Dialect, TimeWindow};
use crate::table::{FieldSet, TableProfile};

/// How the embedded engine reads its source.
#[derive(Debug, Clone, Default)]
pub struct LocalOptions {
    /// A directory, a glob, or `s3://bucket/prefix`.
    pub source: String,
    /// Read every file, whatever its date.
    pub all: bool,
    /// An unreadable file fails the query instead of being skipped.
    pub strict: bool,
    /// How many threads execute a query.
    pub threads: usize,
    /// The most memory the operators may hold before sorts and aggregations spill; `None`: no
    /// limit.
    pub memory_limit: Option<u64>,
    /// With a `logs:` source: only the streams of this network interface (a stream-name prefix).
    pub interface: Option<String>,
}

/// A source naming a CloudWatch Logs group: `logs:GROUP`.
pub const LOGS_PREFIX: &str = "logs:";

/// Whether a source is read through AWS (an `s3://` prefix or a `logs:` group).
pub fn is_remote(source: &str) -> bool {
    source.starts_with("s3://") || source.starts_with(LOGS_PREFIX)
}

pub struct LocalEngine {
    ctx: SessionContext,
    stats: Arc<Stats>,
    /// When the running statement started: the first one when the engine opened (its footer
    /// counts the listing too), each later one (the shell's) when it was given.
    started: std::sync::Mutex<Instant>,
    /// The first statement has run: a later one counts its own reading afresh.
    ran: std::sync::atomic::AtomicBool,
    /// Text files are read by each statement; Parquet files are counted once, when opened.
    text: bool,
    fields: Option<FieldSet>,
    /// The table as read: the configured one, with the layout its paths show when none was given.
    table: TableProfile,
    /// What the source's selected files weigh, and the memory limit: whether it can be read once.
    source_bytes: u64,
    memory_limit: Option<u64>,
    /// The table is in memory (`read_once`): statements read nothing more.
    cached: std::sync::atomic::AtomicBool,
    stop: Stop,
    /// The bucket, when the source is in S3.
    store: Option<remote::Store>,
    _downloads: Option<tempfile::TempDir>,
}

/// The functions athq adds, by group, for the README.
const GROUPS: &[(&str, &[(&str, &str)])] = &[
    ("Dates and times", trino::FUNCTIONS),
    ("Time zones", zones::FUNCTIONS),
    ("Addresses", udf::FUNCTIONS),
    ("Arrays and maps", nested::FUNCTIONS),
    ("JSON", json::FUNCTIONS),
    ("More of Trino's functions, and Trino's answers where DataFusion's differ", pasted::FUNCTIONS),
];

fn own_functions() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    GROUPS.iter().flat_map(|(_, f)| f.iter())
}

/// The functions and types the embedded engine adds to DataFusion's, as the README's Markdown
/// tables, and what it refuses (the README holds exactly this; a test keeps it so).
pub fn functions_markdown() -> String {
    let mut out = String::new();
    for (group, functions) in GROUPS {
        out.push_str(&format!("**{group}**\n\n| function | what it does |\n|---|---|\n"));
        for (name, what) in *functions {
            out.push_str(&format!("| `{name}` | {what} |\n"));
        }
        out.push('\n');
    }
    out.push_str(
        "**Refused, rather than answered differently from Athena**\n\n| function | why |\n|---|---|\n",
    );
    for (name, why) in names::REFUSED {
        out.push_str(&format!("| `{name}` | {why} |\n"));
    }
    out
}

fn df_error(e: DataFusionError) -> EngineError {
    EngineError::Runtime(format!("embedded engine: {e}"))
}

/// A statement that does not plan: the SQL is the problem. A missing function is named with
/// DataFusion's nearest one, instead of its two-line planning message.
/// How deeply the parser follows nested expressions and subqueries.
const PARSER_DEPTH: usize = 1000;

/// The deepest nesting of parentheses and `CASE … END` in a statement, from its tokens.
fn nesting(sql: &str) -> usize {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::keywords::Keyword;
    use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&GenericDialect {}, sql).tokenize() else { return 0 };
    let (mut depth, mut deepest) = (0usize, 0usize);
    for t in tokens {
        match t {
            Token::LParen => depth += 1,
            Token::Word(w) if w.keyword == Keyword::CASE => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Word(w) if w.keyword == Keyword::END => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

fn too_deep() -> String {
    format!(
        "the statement nests expressions or subqueries more than {PARSER_DEPTH} levels deep, the most the \
         embedded engine's parser follows"
    )
}

fn sql_error(e: DataFusionError, sql: &str, available: &[String]) -> EngineError {
    let text = e.find_root().to_string();
    if let Some(rest) = text.split("Invalid function '").nth(1)
        && let Some((name, _)) = rest.split_once('\'')
    {
        return EngineError::Sql(names::unknown(name, available));
    }
    // A function called with arguments none of its forms takes: named, with its forms.
    if let Some(rest) = text.split("No function matches the given name and argument types '").nth(1)
        && let Some((call, after)) = rest.split_once('\'')
    {
        let name = call.split('(').next().unwrap_or(call);
        let documented = own_functions().find(|(n, _)| *n == name);
        let forms = match documented {
            // athq's own, when its description starts with how it is called.
            Some((_, what)) if what.starts_with(&format!("`{name}(")) => {
                what.split("`:").next().map(|f| format!("{f}`")).unwrap_or_default()
            }
            _ => after
                .split("Candidate functions:")
                .nth(1)
                .map(|c| c.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        };
        // Arrow's type names, as Athena names them.
        let mut call = call.to_string();
        for (arrow, athena) in [
            ("Utf8View", "varchar"),
            ("LargeUtf8", "json"),
            ("Utf8", "varchar"),
            ("Int64", "bigint"),
            ("Int32", "integer"),
            ("Float64", "double"),
            ("Boolean", "boolean"),
        ] {
            call = call.replace(arrow, athena);
        }
        return EngineError::Sql(format!(
            "function `{name}` does not take these arguments: it was called as {call}; it takes {forms}"
        ));
    }
    match e.find_root() {
        DataFusionError::SQL(e, _) => {
            use datafusion::sql::sqlparser::parser::ParserError;
            EngineError::Sql(match &**e {
                // The parser reports some of its depth limits as syntax errors where it stopped.
                ParserError::ParserError(_) if nesting(sql) >= PARSER_DEPTH => too_deep(),
                ParserError::ParserError(m) | ParserError::TokenizerError(m) => format!("syntax error: {m}"),
                ParserError::RecursionLimitExceeded => too_deep(),
            })
        }
        DataFusionError::Plan(_) | DataFusionError::SchemaError(..) => {
            EngineError::Sql(text.replace("Error during planning: ", ""))
        }
        _ => df_error(e),
    }
}

fn day(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M").to_string()
}

/// "No files for this window", with the window and the dates the source does have.
fn no_files(source: &str, window: &TimeWindow, sel: &Selection) -> EngineError {
    let found = match sel.dated {
        Some((a, b)) => format!("; the {} file(s) it has cover {} to {} UTC", sel.skipped, day(a), day(b)),
        None => String::new(),
    };
    EngineError::NoData {
        message: format!(
            "no flow-log files (.log, .log.gz, .parquet) in {source} for the window {} to {} UTC{found}",
            day(window.from),
            day(window.to)
        ),
        hint: if sel.skipped > 0 {
            "choose a window with --from/--to (or --days N), or pass --all to read every file".into()
        } else {
            "point --source (or `source:` in athq.yaml) at a folder of .log.gz or .parquet flow logs".into()
        },
    }
}

/// A session with athq's SQL: Trino's NULL ordering, its subscripts, types and functions, the
/// refusals, checked arithmetic and the memory limit.
fn session(threads: usize, database: &str, memory_limit: Option<u64>) -> Result<SessionContext, EngineError> {
    let mut config = SessionConfig::new()
        .with_target_partitions(threads)
        .with_default_catalog_and_schema("awsdatacatalog", database)
        .with_information_schema(true);
    // Nesting (CASE in CASE, parentheses, subqueries) as deep as generated SQL goes: the
    // parser's own limit is 50. The stack has room for it (see lib.rs).
    config.options_mut().sql_parser.recursion_limit =
        datafusion::common::config::ConfigNonZeroUsize::try_new(PARSER_DEPTH).map_err(df_error)?;
    // Trino puts NULLs last in both directions; DataFusion's default puts them first in DESC.
    config.options_mut().sql_parser.default_null_ordering = "nulls_last".into();
    // The Parquet table is a union of one branch per partition, its partition columns constant
    // in each branch. DataFusion 55 then sorts ORDER BY … LIMIT per partition without those
    // columns, and its TopK operators share one threshold across partitions (also through the
    // dynamic filter pushed into the scans): one day's threshold drops another day's rows that
    // belong in the answer (found by the corpus on Parquet, intermittently). Sorting after the
    // partitions are merged keeps the partition columns in every comparison.
    config.options_mut().optimizer.repartition_sorts = false;
    config.options_mut().optimizer.enable_topk_dynamic_filter_pushdown = false;
    // A Parquet footer is fetched exactly (its length, then it): flow-log footers are a few
    // KiB, and DataFusion's 512 KiB guess reads a small file whole (64 KiB still doubled
    // what one column of the sample's files costs).
    config.options_mut().execution.parquet.metadata_size_hint = None;
    let mut state = datafusion::execution::SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(memory::runtime(memory_limit).map_err(df_error)?)
        // Before DataFusion's own: `a[i]` and `m[k]` as Trino has them.
        .with_expr_planners(vec![Arc::new(nested::TrinoAccess(
            nested::subscript_udf(),
            pasted::substr_udf(),
        ))])
        .with_default_features()
        // Without `eliminate_duplicated_expr`: it drops sort keys that functional dependencies
        // make redundant, and DataFusion 55 keeps a grouped subquery's key unique through an
        // UNNEST, so `ORDER BY srcaddr, port` over unnested ports sorted by srcaddr alone (found
        // by the corpus). The rule only saves a redundant comparison.
        .with_optimizer_rules(
            datafusion::optimizer::Optimizer::new()
                .rules
                .into_iter()
                .filter(|r| r.name() != "eliminate_duplicated_expr")
                .collect(),
        )
        .with_type_planner(Arc::new(udf::TrinoTypes))
        // After type coercion: integer arithmetic that overflows fails, as on Athena.
        .with_analyzer_rule(Arc::new(overflow::CheckedArithmetic::new()))
        // Casts to and from zoned timestamps with Trino's meaning (the wall clock in the zone).
        .with_analyzer_rule(zones::ZonedCasts::rule())
        // After type coercion too: a double cast to text, which Trino writes differently.
        .with_analyzer_rule(names::double_text());
    if let Some(limit) = memory_limit {
        state = state.with_physical_optimizer_rule(Arc::new(memory::SpillableTopK::new(limit)));
    }
    let state = state.build();
    let ctx = SessionContext::new_with_state(state);
    ctx.register_udf(udf::CidrContains::udf());
    ctx.register_udf(udf::CidrContains::trino_contains());
    ctx.register_udf(udf::CidrContains::is_subnet_of());
    for f in udf::IpCast::udfs() {
        ctx.register_udf(f);
    }
    trino::register(&ctx).map_err(df_error)?;
    nested::register(&ctx);
    json::register(&ctx);
    unnest::register(&ctx);
    zones::register(&ctx);
    pasted::register(&ctx).map_err(df_error)?;
    overflow::register(&ctx);
    Ok(ctx)
}

impl LocalEngine {
    /// Lists the source, keeps the window's files, checks them and registers them as `table`.
    pub async fn open(
        opts: &LocalOptions,
        table: &TableProfile,
        window: &TimeWindow,
        aws: Option<&remote::Aws>,
        stop: Stop,
    ) -> Result<LocalEngine, EngineError> {
        let started = Instant::now();
        let stats = Arc::new(Stats::default());
        let source = opts.source.as_str();
        let (selection, downloads, store) = match remote::select(opts, table, window, aws, &stop).await? {
            Some(remote) => remote,
            None => (files::select(files::local_files(source)?, window, opts.all), None, None),
        };
        stats.files_skipped.store(selection.skipped, Ordering::Relaxed);
        if selection.kept.is_empty() {
            return Err(no_files(source, window, &selection));
        }
        // A layout nobody configured is the one the paths show (as Athena's table for them has it).
        let mut table = table.clone();
        if !table.layout_given {
            files::detect_layout(&mut table, &selection.kept);
        }
        let table = &table;
        let source_bytes: u64 = selection.kept.iter().map(|f| f.size).sum();
        let threads = opts.threads.max(1);
        let ctx = session(threads, &table.database, opts.memory_limit)?;

        let (parquet, text): (Vec<LogFile>, Vec<LogFile>) =
            selection.kept.into_iter().partition(|f| f.kind == FileKind::Parquet);
        if !parquet.is_empty() && !text.is_empty() {
            return Err(EngineError::Config(format!(
                "{source} holds both text and Parquet flow logs ({} and {} files): point --source at one of them",
                text.len(),
                parquet.len()
            )));
        }
        let is_text = parquet.is_empty();
        // Firehose delivers records without a header line: they are read by the table's fields.
        let headerless = (table.layout == crate::table::Layout::Firehose)
            .then(|| table.fields.fields().iter().map(|f| f.aws_name.to_string()).collect());
        let fields = if !parquet.is_empty() {
            let checked = match &store {
                Some(store) => remote::footers(&ctx, store, parquet).await?,
                // Footers are read from disk: off the async workers.
                None => {
                    blocking(move || {
                        parquet.into_iter().map(|f| (parquet::check(&f.path), f)).collect::<Vec<_>>()
                    })
                    .await?
                }
            };
            let mut paths = Vec::new();
            for (check, f) in checked {
                match check {
                    Ok(rows) => {
                        let counts = text::FileCounts { records: rows, ..Default::default() };
                        stats.file_read(&f.path, f.size, &counts);
                        paths.push(f.path.to_string_lossy().to_string());
                    }
                    Err(why) if opts.strict => {
                        return Err(EngineError::Runtime(format!("cannot read {}: {why}", f.path.display())));
                    }
                    Err(why) => stats.unreadable(&f.path, &why),
                }
            }
            if paths.is_empty() {
                return Err(all_unreadable(source, &stats));
            }
            let df = parquet_with_partitions(&ctx, paths, &table.partition_columns()).await?;
            ctx.register_table(table.name.as_str(), df.into_view()).map_err(df_error)?;
            None
        } else {
            let (cols, shared, strict) = (table.partition_columns(), stats.clone(), opts.strict);
            let (headed, objects) = match &store {
                Some(store) => remote::headers(store, text, headerless.clone()).await,
                // Every file's header is read from disk: off the async workers.
                None => {
                    let fields = headerless.clone();
                    let headed = blocking(move || {
                        text.into_iter().map(|f| (text::header_of(&f.path, fields.as_deref()), f)).collect()
                    });
                    (headed.await?, None)
                }
            };
            let headed = headed.into_iter().map(|(h, f)| (f, h)).collect();
            let provider = blocking(move || {
                TextLogs::open(headed, cols, shared, (threads, strict), headerless, objects)
            })
            .await??;
            if provider.is_empty() {
                return Err(all_unreadable(source, &stats));
            }
            let fields = FieldSet::from_names(provider.columns().iter().map(|f| f.aws_name)).ok();
            ctx.register_table(table.name.as_str(), Arc::new(provider)).map_err(df_error)?;
            fields
        };
        Ok(LocalEngine {
            ctx,
            stats,
            started: std::sync::Mutex::new(started),
            ran: std::sync::atomic::AtomicBool::new(false),
            text: is_text,
            fields,
            table: table.clone(),
            source_bytes,
            memory_limit: opts.memory_limit,
            cached: std::sync::atomic::AtomicBool::new(false),
            stop,
            store,
            _downloads: downloads,
        })
    }

    pub fn footer(&self) -> String {
        let started = *self.started.lock().unwrap_or_else(|e| e.into_inner());
        self.stats.footer_with(started.elapsed(), self.store.as_ref().map(remote::fetched))
    }

    /// A statement after the first: its footer tells its own time and reading, not the session's.
    fn begin_statement(&self) {
        if self.ran.swap(true, Ordering::SeqCst) {
            *self.started.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
            // In memory, the one reading stays what the footers tell.
            if self.text && !self.cached.load(Ordering::SeqCst) {
                self.stats.begin_scan();
            }
        }
    }

    /// What `SessionContext::sql` does, with Trino's IP casts rewritten between parse and plan.
    async fn plan(&self, sql: &str) -> datafusion::common::Result<datafusion::dataframe::DataFrame> {
        let state = self.ctx.state();
        let dialect = state.config().options().sql_parser.dialect;
        let mut statement = state.sql_to_statement(&udf::trino_syntax(sql), &dialect)?;
        udf::rewrite_ip_casts(&mut statement);
        zones::rewrite(&mut statement)?;
        names::refuse(&statement)?;
        pasted::rewrite(&mut statement)?;
        unnest::rewrite(&mut statement)?;
        balance::balance(&mut statement);
        let plan = state.statement_to_plan(statement).await?;
        datafusion::execution::context::SQLOptions::new().verify_plan(&plan)?;
        self.ctx.execute_logical_plan(plan).await
    }

    /// Plans the statement and hands its rows to `sink` batch by batch as DataFusion produces them.
    /// The plan runs in a task of its own, a batch or two ahead of the sink: a reader that panics
    /// on damaged data (the Parquet decoder can, on corrupt pages that pass the footer check)
    /// fails this query, not the process; a sink that fails or a dropped query stops the plan.
    async fn stream_into(&self, sql: &str, sink: &mut dyn RowSink) -> Result<(), EngineError> {
        use futures::StreamExt;
        let df = self.plan(sql).await.map_err(|e| sql_error(e, sql, &self.function_names()))?;
        // DESCRIBE names the types as Athena does (`varchar`, `bigint`), not as Arrow does.
        let described: Option<std::collections::HashMap<String, String>> = match df.logical_plan() {
            datafusion::logical_expr::LogicalPlan::DescribeTable(d) => Some(
                d.schema
                    .fields()
                    .iter()
                    .map(|f| (f.name().clone(), convert::athena_type(f.data_type())))
                    .collect(),
            ),
            _ => None,
        };
        let columns = convert::columns(df.schema().as_arrow());
        sink.columns(&columns).map_err(EngineError::Output)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<datafusion::common::Result<convert::Rows>>(2);
        let task = tokio::spawn(async move {
            let mut stream = match df.execute_stream().await {
                Ok(s) => s,
                Err(e) => return drop(tx.send(Err(e)).await),
            };
            while let Some(batch) = stream.next().await {
                let rows = batch.and_then(|b| convert::rows(&b));
                let failed = rows.is_err();
                if tx.send(rows).await.is_err() || failed {
                    return;
                }
            }
        });
        let _abort = AbortOnDrop(task.abort_handle());
        while let Some(rows) = rx.recv().await {
            let mut rows = rows.map_err(|e| match e.find_root() {
                // A refusal found once the plan is typed (by an analyzer rule): the SQL's.
                DataFusionError::Plan(_) => sql_error(e, sql, &self.function_names()),
                _ => memory::exhausted(&e, &self.ctx).unwrap_or_else(|| df_error(e)),
            })?;
            if let Some(types) = &described {
                for row in &mut rows {
                    if let (Some(Some(name)), Some(ty)) = (row.first(), row.get(1))
                        && let Some(athena) = types.get(name)
                        && ty.is_some()
                    {
                        row[1] = Some(athena.clone());
                    }
                }
            }
            sink.rows(rows).map_err(EngineError::Output)?;
        }
        match task.await {
            Ok(()) => Ok(()),
            Err(e) if e.is_panic() => {
                let payload = e.into_panic();
                let why = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(EngineError::Runtime(format!(
                    "embedded engine: a reader failed on damaged data in the source ({why}); \
                     --strict does not catch this: find the file by narrowing --source"
                )))
            }
            Err(e) => Err(EngineError::Runtime(format!("embedded engine: {e}"))),
        }
    }
}

/// Stops a spawned task when the future that awaits it is dropped (a signal, a timeout).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs file IO on tokio's blocking pool, not on the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| EngineError::Runtime(format!("embedded engine: reading the source failed: {e}")))
}

/// The Parquet files as one DataFrame with the table's partition columns: files grouped by the
/// values their paths give those columns, each group's values added as literals, the groups
/// unioned, so a predicate on a partition column lets the optimiser drop whole groups unread.
async fn parquet_with_partitions(
    ctx: &SessionContext,
    paths: Vec<String>,
    cols: &[crate::table::PartitionColumn],
) -> Result<datafusion::dataframe::DataFrame, EngineError> {
    let mut groups: std::collections::BTreeMap<Vec<Option<String>>, Vec<String>> = Default::default();
    for p in paths {
        groups.entry(files::partition_values(std::path::Path::new(&p), cols)).or_default().push(p);
    }
    let mut all: Option<datafusion::dataframe::DataFrame> = None;
    for (values, paths) in groups {
        let mut part = ctx.read_parquet(paths, ParquetReadOptions::default()).await.map_err(df_error)?;
        for (c, v) in cols.iter().zip(values) {
            let value = datafusion::prelude::lit(datafusion::common::ScalarValue::Utf8(v));
            part = part.with_column(&c.name, value).map_err(df_error)?;
        }
        all = Some(match all {
            None => part,
            Some(df) => df.union(part).map_err(df_error)?,
        });
    }
    all.ok_or_else(|| EngineError::Runtime("no Parquet files to read".into()))
}

fn all_unreadable(source: &str, stats: &Stats) -> EngineError {
    EngineError::NoData {
        message: format!(
            "none of the window's {} flow-log file(s) in {source} could be read\n{}",
            stats.unreadable_count(),
            stats.footer(std::time::Duration::ZERO)
        ),
        hint: "check that the files are flow logs as AWS writes them".into(),
    }
}

#[async_trait]
impl Engine for LocalEngine {
    fn dialect(&self) -> Dialect {
        Dialect::Local
    }

    fn fields(&self) -> Option<FieldSet> {
        self.fields.clone()
    }

    fn table(&self) -> Option<TableProfile> {
        let mut t = self.table.clone();
        if let Some(f) = &self.fields {
            t.fields = f.clone();
        }
        Some(t)
    }

    fn function_names(&self) -> Vec<String> {
        let state = self.ctx.state();
        let mut names: Vec<String> = state
            .scalar_functions()
            .keys()
            .chain(state.aggregate_functions().keys())
            .chain(state.window_functions().keys())
            // athq's own stand-ins for casts are not for typing.
            .filter(|n| !n.ends_with("_cast"))
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }

    async fn query_into(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
        sink: &mut dyn RowSink,
    ) -> Result<Footer, EngineError> {
        let _guard = self.stop.guard();
        let _deadline = crate::engine::stop::Deadline::arm(opts.timeout);
        self.begin_statement();
        let bound;
        let sql = match opts.parameters.is_empty() {
            true => sql,
            false => {
                bound = crate::sql::bind(sql, &opts.parameters);
                bound.as_str()
            }
        };
        let result = tokio::select! {
            r = self.stream_into(sql, sink) => r,
            sig = self.stop.wait() => Err(EngineError::Interrupted { id: None, signal: sig }),
            _ = crate::engine::timeout(opts.timeout) => Err(EngineError::TimedOut {
                id: None,
                secs: opts.timeout.unwrap_or_default().as_secs(),
            }),
        };
        progress.finish();
        result?;
        let cached = self.cached.load(Ordering::SeqCst);
        let mut text = self.footer();
        if cached {
            let first = text.find('\n').unwrap_or(text.len());
            text.insert_str(first, " · from memory: the source was read once, before the first statement");
        }
        Ok(Footer {
            text,
            scanned: if cached { 0 } else { self.stats.bytes_read.load(Ordering::Relaxed) as i64 },
            cost_usd: 0.0,
        })
    }

    async fn read_once(&self) -> Result<Option<i64>, EngineError> {
        // Text logs grow about tenfold from gzip to Arrow: a sixteenth of the limit leaves room.
        let limit = self.memory_limit.unwrap_or(1 << 30);
        if self.source_bytes.saturating_mul(16) > limit || self.cached.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let _guard = self.stop.guard();
        self.begin_statement();
        let name = self.table.name.clone();
        let read = async {
            let df = self.ctx.table(name.as_str()).await?;
            let schema = Arc::new(df.schema().as_arrow().clone());
            let parts = df.collect_partitioned().await?;
            let table = datafusion::datasource::MemTable::try_new(schema, parts)?;
            self.ctx.deregister_table(name.as_str())?;
            self.ctx.register_table(name.as_str(), Arc::new(table))?;
            Ok::<_, datafusion::error::DataFusionError>(())
        };
        tokio::select! {
            r = read => r.map_err(|e| memory::exhausted(&e, &self.ctx).unwrap_or_else(|| df_error(e)))?,
            sig = self.stop.wait() => return Err(EngineError::Interrupted { id: None, signal: sig }),
        }
        self.cached.store(true, Ordering::SeqCst);
        Ok(Some(self.stats.bytes_read.load(Ordering::Relaxed) as i64))
    }

    fn footer_on_error(&self) -> Option<String> {
        Some(self.footer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Answer;

    struct Quiet;
    impl Progress for Quiet {
        fn update(&self, _: crate::engine::State, _: std::time::Duration, _: i64) {}
        fn finish(&self) {}
    }

    async fn sum_over(dir: &std::path::Path) -> Result<Answer, EngineError> {
        let opts = LocalOptions {
            source: dir.display().to_string(),
            all: true,
            strict: false,
            threads: 2,
            memory_limit: Some(256 << 20),
            interface: None,
        };
        let now = jiff::Timestamp::now();
        let engine = LocalEngine::open(
            &opts,
            &TableProfile::new_default(),
            &TimeWindow::everything(now),
            None,
            Stop::never(),
        )
        .await?;
        engine
            .query(
                "SELECT COUNT(srcaddr) AS n, SUM(bytes) AS b FROM vpc_flow_logs",
                &RunOptions::default(),
                &Quiet,
            )
            .await
    }

    /// A function with a Trino name is athq's own, one of DataFusion's checked to answer as
    /// Trino's does, or refused: a DataFusion upgrade that adds a namesake fails here.
    #[test]
    fn every_function_with_a_trino_name_is_athqs_checked_or_refused() {
        let ctx = session(1, "default", None).unwrap();
        let state = ctx.state();
        let own: Vec<&str> = own_functions().map(|(n, _)| *n).collect();
        let mut unchecked = Vec::new();
        let registered = state
            .scalar_functions()
            .keys()
            .chain(state.aggregate_functions().keys())
            .chain(state.window_functions().keys())
            .chain(state.higher_order_functions().keys());
        for name in registered {
            let n = name.as_str();
            let known = own.contains(&n)
                || names::SAME_AS_TRINO.contains(&n)
                || names::REFUSED.iter().any(|(r, _)| *r == n);
            if names::TRINO.contains(&n) && !known {
                unchecked.push(n.to_string());
            }
        }
        unchecked.sort();
        assert!(unchecked.is_empty(), "DataFusion functions with Trino names, not checked: {unchecked:?}");
        for (name, _) in names::REFUSED {
            let statement = format!("SELECT {name}(1)");
            let dialect = datafusion::sql::sqlparser::dialect::GenericDialect {};
            let parsed =
                datafusion::sql::parser::DFParser::parse_sql_with_dialect(&statement, &dialect).unwrap();
            let err = names::refuse(&parsed[0]).unwrap_err().to_string();
            assert!(err.contains(&format!("`{name}` is not supported on the embedded engine")), "{err}");
        }
    }

    #[test]
    fn a_reader_that_panics_on_a_damaged_page_fails_the_query_not_the_process() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let good = parquet::tests::valid_file();
        std::fs::write(dir.path().join("a.parquet"), &good).unwrap();
        let answer = rt.block_on(sum_over(dir.path())).unwrap();
        assert_eq!(answer.rows.rows, vec![vec![Some("257".to_string()), Some("44850000".to_string())]]);
        // One flipped bit in a string page: the footer is fine, the page is not.
        let mut bad = good;
        bad[1142] ^= 0x80;
        std::fs::write(dir.path().join("a.parquet"), &bad).unwrap();
        match rt.block_on(sum_over(dir.path())) {
            Err(EngineError::Runtime(m)) => assert!(m.contains("a reader failed on damaged data"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
