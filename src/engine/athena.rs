//! The Athena engine, through aws-sdk-athena: StartQueryExecution with the work group, catalog,
//! database, output location and result-reuse settings; GetQueryExecution polled from 100 ms
//! backing off to 2 s; results from the result CSV in S3 when there is more than one page of them
//! (one request instead of one per thousand rows), else from GetQueryResults pages; and
//! StopQueryExecution on Ctrl-C or timeout. Throttling is retried by the SDK's standard retry mode.
//! AWS settings come from the standard AWS config chain, overridden by athq's settings.

use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_athena::Client;
use aws_sdk_athena::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_athena::types::{
    QueryExecutionContext, QueryExecutionState, ResultConfiguration, ResultReuseByAgeConfiguration,
    ResultReuseConfiguration,
};
use sha2::{Digest, Sha256};

use crate::engine::{Column, EngineError, Execution, Kind, Progress, ResultSet, RunOptions, State, csv};
use crate::settings::Settings;

/// GetQueryResults' largest page.
const PAGE_SIZE: i32 = 1000;
const FIRST_POLL: Duration = Duration::from_millis(100);
const MAX_POLL: Duration = Duration::from_secs(2);
/// Attempts per AWS call (throttling backs off between them) unless AWS_MAX_ATTEMPTS says otherwise.
const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// Turns an SDK error into an engine error naming the operation.
pub fn aws_error<E, R>(operation: &'static str) -> impl FnOnce(SdkError<E, R>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    move |e| {
        let code = e.code().map(String::from);
        let detail = match (e.code(), e.message()) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (Some(c), None) => c.to_string(),
            _ => DisplayErrorContext(&e).to_string(),
        };
        EngineError::Aws { operation, code, detail }
    }
}

/// The AWS configuration: the standard chain (profiles, SSO, environment), then athq's settings.
pub async fn sdk_config(settings: &Settings) -> Result<SdkConfig, EngineError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &settings.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        loader = loader.retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(DEFAULT_MAX_ATTEMPTS)
                .with_initial_backoff(Duration::from_millis(200)),
        );
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(EngineError::Config(
            "no AWS region: set region in athq.yaml, pass --region, or set AWS_REGION".into(),
        ));
    }
    Ok(config)
}

/// An S3 client for the same account and endpoint (path-style for custom endpoints).
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let conf =
        aws_sdk_s3::config::Builder::from(config).force_path_style(config.endpoint_url().is_some()).build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// Splits `s3://bucket/key` into bucket and key.
pub fn split_s3_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/')?;
    (!bucket.is_empty()).then_some((bucket, key))
}

pub struct Athena {
    client: Client,
    s3: aws_sdk_s3::Client,
    config: SdkConfig,
    workgroup: String,
    catalog: String,
    database: String,
    output_location: Option<String>,
    /// Whether the work group manages its own results: asked once, on the first statement.
    managed_results: tokio::sync::OnceCell<bool>,
}

fn state_of(s: Option<&QueryExecutionState>) -> State {
    match s {
        Some(QueryExecutionState::Queued) => State::Queued,
        Some(QueryExecutionState::Running) | None => State::Running,
        Some(QueryExecutionState::Succeeded) => State::Succeeded,
        Some(QueryExecutionState::Failed) => State::Failed,
        Some(QueryExecutionState::Cancelled) => State::Cancelled,
        Some(_) => State::Running,
    }
}

/// A token that makes StartQueryExecution idempotent across the SDK's own retries.
fn request_token(sql: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let digest = Sha256::digest(format!("{sql}\0{nanos}\0{}", std::process::id()).as_bytes());
    digest.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

impl Athena {
    pub async fn connect(settings: &Settings) -> Result<Athena, EngineError> {
        let config = sdk_config(settings).await?;
        Ok(Athena {
            client: Client::new(&config),
            s3: s3_client(&config),
            workgroup: settings.workgroup.clone(),
            catalog: settings.catalog.clone(),
            database: settings.table.database.clone(),
            output_location: settings.output_location.clone(),
            managed_results: tokio::sync::OnceCell::new(),
            config,
        })
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn s3(&self) -> &aws_sdk_s3::Client {
        &self.s3
    }

    /// The output location to send, unless the work group manages its results itself.
    async fn output_location(&self) -> Option<String> {
        let location = self.output_location.clone()?;
        let managed = *self
            .managed_results
            .get_or_init(|| async {
                let wg = self.client.get_work_group().work_group(&self.workgroup).send().await.ok();
                let conf = wg.as_ref().and_then(|w| w.work_group()).and_then(|w| w.configuration());
                conf.and_then(|c| c.managed_query_results_configuration()).is_some_and(|m| m.enabled())
            })
            .await;
        (!managed).then_some(location)
    }

    pub async fn start(&self, sql: &str, opts: &RunOptions) -> Result<String, EngineError> {
        let mut req = self
            .client
            .start_query_execution()
            .query_string(sql)
            .work_group(&self.workgroup)
            .query_execution_context(
                QueryExecutionContext::builder().catalog(&self.catalog).database(&self.database).build(),
            )
            .client_request_token(opts.client_request_token.clone().unwrap_or_else(|| request_token(sql)));
        if let Some(location) = self.output_location().await {
            req = req.result_configuration(ResultConfiguration::builder().output_location(location).build());
        }
        if let Some(minutes) = opts.reuse_minutes {
            let by_age = ResultReuseByAgeConfiguration::builder()
                .enabled(true)
                .max_age_in_minutes(minutes as i32)
                .build();
            req = req.result_reuse_configuration(
                ResultReuseConfiguration::builder().result_reuse_by_age_configuration(by_age).build(),
            );
        }
        let out = req.send().await.map_err(aws_error("StartQueryExecution"))?;
        out.query_execution_id()
            .map(String::from)
            .ok_or_else(|| EngineError::Runtime("StartQueryExecution returned no query id".into()))
    }

    pub async fn describe(&self, id: &str) -> Result<Execution, EngineError> {
        let out = self
            .client
            .get_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .map_err(aws_error("GetQueryExecution"))?;
        let q = out
            .query_execution()
            .ok_or_else(|| EngineError::Runtime(format!("GetQueryExecution returned nothing for {id}")))?;
        let status = q.status();
        let stats = q.statistics();
        let error = status.and_then(|s| s.athena_error());
        Ok(Execution {
            id: id.to_string(),
            state: state_of(status.and_then(|s| s.state())),
            sql: q.query().unwrap_or_default().to_string(),
            statement_type: q
                .statement_type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "DML".into()),
            workgroup: q.work_group().map(String::from),
            database: q.query_execution_context().and_then(|c| c.database()).map(String::from),
            reason: status.and_then(|s| s.state_change_reason()).map(String::from),
            error_category: error.and_then(|e| e.error_category()),
            error_type: error.and_then(|e| e.error_type()),
            data_scanned: stats.and_then(|s| s.data_scanned_in_bytes()).unwrap_or(0),
            engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis()).unwrap_or(0),
            queue_ms: stats.and_then(|s| s.query_queue_time_in_millis()).unwrap_or(0),
            reused: stats
                .and_then(|s| s.result_reuse_information())
                .is_some_and(|r| r.reused_previous_result()),
            output_location: q.result_configuration().and_then(|r| r.output_location()).map(String::from),
        })
    }

    pub async fn stop(&self, id: &str) -> Result<(), EngineError> {
        self.client
            .stop_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .map_err(aws_error("StopQueryExecution"))?;
        Ok(())
    }

    /// Polls until the execution is final, with backoff; reports progress as it goes.
    async fn poll(&self, id: &str, progress: &dyn Progress) -> Result<Execution, EngineError> {
        let started = Instant::now();
        let mut delay = FIRST_POLL;
        loop {
            let exec = self.describe(id).await?;
            progress.update(exec.state, started.elapsed(), exec.data_scanned);
            if exec.state.is_final() {
                return Ok(exec);
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 3 / 2).min(MAX_POLL);
        }
    }

    /// Waits for a started execution; Ctrl-C or the timeout stop it first.
    pub async fn wait(
        &self,
        id: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Execution, EngineError> {
        let timeout = async {
            match opts.timeout {
                Some(t) => tokio::time::sleep(t).await,
                None => std::future::pending().await,
            }
        };
        let result = tokio::select! {
            r = self.poll(id, progress) => r,
            _ = tokio::signal::ctrl_c() => {
                progress.finish();
                self.stop(id).await?;
                Err(EngineError::Interrupted { id: id.to_string() })
            }
            _ = timeout => {
                progress.finish();
                self.stop(id).await?;
                Err(EngineError::TimedOut { id: id.to_string(), secs: opts.timeout.unwrap_or_default().as_secs() })
            }
        };
        progress.finish();
        result
    }

    /// Runs a statement to the end: FAILED and CANCELLED are errors.
    pub async fn run(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Execution, EngineError> {
        let id = self.start(sql, opts).await?;
        let exec = self.wait(&id, opts, progress).await?;
        match exec.state {
            State::Failed => Err(failed(&exec)),
            State::Cancelled => Err(EngineError::Cancelled { id }),
            _ => Ok(exec),
        }
    }

    /// The rows of a finished execution. More than one page comes from the result CSV in S3,
    /// when readable; otherwise from GetQueryResults pages.
    pub async fn results(&self, exec: &Execution) -> Result<ResultSet, EngineError> {
        if exec.state != State::Succeeded {
            return Err(EngineError::NotFinished { id: exec.id.clone(), state: exec.state });
        }
        let page = |token: Option<String>| {
            self.client
                .get_query_results()
                .query_execution_id(&exec.id)
                .max_results(PAGE_SIZE)
                .set_next_token(token)
                .send()
        };
        let first = page(None).await.map_err(aws_error("GetQueryResults"))?;
        let columns: Vec<Column> = first
            .result_set()
            .and_then(|r| r.result_set_metadata())
            .map(|m| {
                m.column_info()
                    .iter()
                    .map(|c| Column { name: c.name().to_string(), kind: Kind::from_athena(c.r#type()) })
                    .collect()
            })
            .unwrap_or_default();
        let to_rows = |out: &aws_sdk_athena::operation::get_query_results::GetQueryResultsOutput| {
            out.result_set()
                .map(|r| {
                    r.rows()
                        .iter()
                        .map(|row| row.data().iter().map(|d| d.var_char_value().map(String::from)).collect())
                        .collect::<Vec<Vec<Option<String>>>>()
                })
                .unwrap_or_default()
        };
        // The first row of a SELECT's results holds the column names.
        let has_header = exec.statement_type == "DML";
        let mut rows = to_rows(&first);
        if has_header && !rows.is_empty() {
            rows.remove(0);
        }
        let mut token = first.next_token().map(String::from);
        if token.is_some()
            && has_header
            && let Some(location) = &exec.output_location
            && let Ok(all) = self.csv_rows(location, columns.len()).await
        {
            return Ok(ResultSet { columns, rows: all });
        }
        while let Some(t) = token {
            let out = page(Some(t)).await.map_err(aws_error("GetQueryResults"))?;
            rows.extend(to_rows(&out));
            token = out.next_token().map(String::from);
        }
        Ok(ResultSet { columns, rows })
    }

    /// Reads the result CSV (header first) from S3.
    async fn csv_rows(&self, location: &str, width: usize) -> Result<Vec<Vec<Option<String>>>, EngineError> {
        let (bucket, key) = split_s3_url(location)
            .ok_or_else(|| EngineError::Config(format!("`{location}` is not an s3:// URL")))?;
        let obj =
            self.s3.get_object().bucket(bucket).key(key).send().await.map_err(aws_error("GetObject"))?;
        let bytes = obj
            .body
            .collect()
            .await
            .map_err(|e| EngineError::Runtime(format!("reading {location}: {e}")))?
            .into_bytes();
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| EngineError::Runtime(format!("{location} is not UTF-8")))?;
        let mut rows = csv::parse(&text).map_err(|e| EngineError::Runtime(format!("{location}: {e}")))?;
        if rows.is_empty() || rows.iter().any(|r| r.len() != width) {
            return Err(EngineError::Runtime(format!("{location} does not match the result's columns")));
        }
        rows.remove(0);
        Ok(rows)
    }
}

impl crate::engine::Engine for Athena {
    fn dialect(&self) -> crate::render::Dialect {
        crate::render::Dialect::Athena
    }

    async fn query(
        &self,
        _table: &crate::table::TableProfile,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<crate::engine::Answer, EngineError> {
        let exec = self.run(sql, opts, progress).await?;
        let rows = self.results(&exec).await?;
        Ok(crate::engine::Answer { rows, footer: exec.footer() })
    }
}

fn failed(exec: &Execution) -> EngineError {
    let category = match exec.error_category {
        Some(1) => " (system error)",
        Some(2) => " (user error)",
        Some(3) => " (unknown error)",
        _ => "",
    };
    EngineError::Failed {
        id: exec.id.clone(),
        reason: format!("{}{category}", exec.reason.clone().unwrap_or_else(|| "no reason given".into())),
        category: exec.error_category,
        footer: exec.footer(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls_split() {
        assert_eq!(split_s3_url("s3://b/k/x.csv"), Some(("b", "k/x.csv")));
        assert_eq!(split_s3_url("s3://b"), None);
        assert_eq!(split_s3_url("https://b/k"), None);
    }

    #[test]
    fn tokens_are_long_enough_and_differ() {
        let a = request_token("SELECT 1");
        assert_eq!(a.len(), 40);
        assert_ne!(a, request_token("SELECT 1"));
    }
}
