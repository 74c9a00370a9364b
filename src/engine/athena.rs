//! The Athena engine, through aws-sdk-athena: StartQueryExecution with the work group, catalog,
//! database, output location and result-reuse settings; GetQueryExecution polled from 100 ms
//! backing off to 2 s; results streamed from the result CSV in S3 when there is more than one page of
//! them (one request instead of one per thousand rows), else from GetQueryResults pages; and
//! StopQueryExecution on a signal, a timeout, or when polling gives up. From just before
//! StartQueryExecution until the results are read, a signal is this engine's to handle (a query
//! whose start call is still answering is stopped as soon as its id is known).
//! Throttling is retried by the SDK's standard retry mode.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_sdk_athena::Client;
use aws_sdk_athena::types::{
    QueryExecutionContext, QueryExecutionState, ResultConfiguration, ResultReuseByAgeConfiguration,
    ResultReuseConfiguration,
};
use sha2::{Digest, Sha256};

use crate::engine::Notify;
use crate::engine::aws::{Aws, aws_error, split_s3_url};
use crate::engine::budget::Budget;
use crate::engine::estimate::Cost;
use crate::engine::stop::Stop;
use crate::engine::{
    Column, Engine, EngineError, Execution, Footer, Kind, Planned, Progress, RowSink, RunOptions, State, csv,
    human_bytes,
};
use crate::render::Dialect;
use crate::settings::Settings;

/// GetQueryResults' largest page.
const PAGE_SIZE: i32 = 1000;
const FIRST_POLL: Duration = Duration::from_millis(100);
const MAX_POLL: Duration = Duration::from_secs(2);

pub struct Athena {
    client: Client,
    s3: aws_sdk_s3::Client,
    stop: Stop,
    workgroup: String,
    catalog: String,
    database: String,
    output_location: Option<String>,
    /// Whether the work group manages its own results: asked once, on the first statement.
    managed_results: tokio::sync::OnceCell<bool>,
    /// The scan limit, asked before every statement starts.
    budget: Budget,
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
    pub async fn connect(settings: &Settings, notify: Notify, stop: Stop) -> Result<Athena, EngineError> {
        let aws = Aws::connect(settings, notify.clone()).await?;
        let budget = Budget::new(
            settings.max_scan,
            settings.table.clone(),
            settings.catalog.clone(),
            aws.s3(),
            notify,
            settings.now,
        );
        Ok(Athena {
            client: aws.athena(),
            s3: aws.s3(),
            stop,
            workgroup: settings.workgroup.clone(),
            catalog: settings.catalog.clone(),
            database: settings.table.database.clone(),
            output_location: settings.output_location.clone(),
            managed_results: tokio::sync::OnceCell::new(),
            budget,
        })
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

    /// Starts a statement. A signal while the start call is answering stops the query once its
    /// id is known.
    async fn start(&self, sql: &str, opts: &RunOptions) -> Result<String, EngineError> {
        // Every statement, from whichever command, passes the scan limit first.
        self.budget.warn_unpartitioned(sql, opts);
        self.budget.admit(sql, opts).await?;
        let start = self.start_call(sql, opts);
        tokio::pin!(start);
        tokio::select! {
            r = &mut start => r,
            signal = self.stop.wait() => {
                let id = start.await?;
                self.stop_query(&id).await?;
                Err(EngineError::Interrupted { id: Some(id), signal })
            }
        }
    }

    async fn start_call(&self, sql: &str, opts: &RunOptions) -> Result<String, EngineError> {
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
        if !opts.parameters.is_empty() {
            req = req.set_execution_parameters(Some(opts.parameters.clone()));
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
        let out = req.send().await.map_err(aws_error("Athena", "StartQueryExecution", &self.workgroup))?;
        out.query_execution_id()
            .map(String::from)
            .ok_or_else(|| EngineError::Runtime("StartQueryExecution returned no query id".into()))
    }

    async fn describe(&self, id: &str) -> Result<Execution, EngineError> {
        let out =
            self.client.get_query_execution().query_execution_id(id).send().await.map_err(aws_error(
                "Athena",
                "GetQueryExecution",
                id,
            ))?;
        let q = out
            .query_execution()
            .ok_or_else(|| EngineError::Runtime(format!("GetQueryExecution returned nothing for {id}")))?;
        Ok(execution_of(id, q))
    }

    async fn stop_query(&self, id: &str) -> Result<(), EngineError> {
        self.client.stop_query_execution().query_execution_id(id).send().await.map_err(aws_error(
            "Athena",
            "StopQueryExecution",
            id,
        ))?;
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

    /// Waits for a started execution. A signal or the timeout stop it first; so does giving up
    /// on polling (retries or throttling past the budget), so nothing is left running unseen.
    async fn wait(
        &self,
        id: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Execution, EngineError> {
        let result = tokio::select! {
            r = self.poll(id, progress) => match r {
                Err(cause) => {
                    progress.finish();
                    let _ = self.stop_query(id).await;
                    Err(EngineError::GaveUp { id: id.to_string(), cause: Box::new(cause) })
                }
                ok => ok,
            },
            signal = self.stop.wait() => {
                progress.finish();
                self.stop_query(id).await?;
                Err(EngineError::Interrupted { id: Some(id.to_string()), signal })
            }
            _ = crate::engine::timeout(opts.timeout) => {
                progress.finish();
                self.stop_query(id).await?;
                Err(EngineError::TimedOut { id: Some(id.to_string()), secs: opts.timeout.unwrap_or_default().as_secs() })
            }
        };
        progress.finish();
        result
    }

    /// Runs a statement to the end: FAILED and CANCELLED are errors.
    async fn run(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Execution, EngineError> {
        let id = self.start(sql, opts).await?;
        let exec = self.wait(&id, opts, progress).await?;
        match exec.state {
            State::Failed => Err(failed(&exec)),
            State::Cancelled => Err(self.cancelled(&exec).await),
            _ => Ok(exec),
        }
    }

    /// Why Athena cancelled a query athq did not stop: the work group's per-query scan limit
    /// (BytesScannedCutoffPerQuery) when it has one and the query reached it (or Athena's reason
    /// speaks of a data limit), read from GetWorkGroup.
    async fn cancelled(&self, exec: &Execution) -> EngineError {
        let wg = exec.workgroup.clone().unwrap_or_else(|| self.workgroup.clone());
        let got = self.client.get_work_group().work_group(&wg).send().await.ok();
        let cutoff = got
            .as_ref()
            .and_then(|w| w.work_group())
            .and_then(|w| w.configuration())
            .and_then(|c| c.bytes_scanned_cutoff_per_query());
        let speaks_of_limit = exec.reason.as_deref().is_some_and(|r| {
            let r = r.to_ascii_lowercase();
            r.contains("bytesscannedcutoff")
                || (r.contains("limit") && (r.contains("data") || r.contains("scan")))
        });
        match cutoff {
            Some(limit) if exec.data_scanned >= limit || speaks_of_limit => EngineError::Cancelled {
                id: exec.id.clone(),
                reason: Some(format!(
                    "it reached work group {wg}'s per-query scan limit of {} (BytesScannedCutoffPerQuery = {limit}) after scanning {}{}",
                    human_bytes(limit),
                    human_bytes(exec.data_scanned),
                    exec.reason.as_deref().map(|r| format!("; Athena says: {r}")).unwrap_or_default()
                )),
                hint: Some(format!(
                    "narrow the window or the columns (`athq run … --estimate` tells what a query would scan), or raise the work group's limit: aws athena update-work-group --work-group {wg} --configuration-updates BytesScannedCutoffPerQuery=BYTES"
                )),
            },
            _ => EngineError::Cancelled { id: exec.id.clone(), reason: exec.reason.clone(), hint: None },
        }
    }

    /// Hands a finished execution's rows to `sink`. More than one page comes from the result CSV
    /// in S3, read as it downloads, when readable; otherwise from GetQueryResults pages, a page at
    /// a time. Either way no more than a page or a download chunk is held at once.
    async fn rows_into(&self, exec: &Execution, sink: &mut dyn RowSink) -> Result<(), EngineError> {
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
        let first = page(None).await.map_err(aws_error("Athena", "GetQueryResults", &exec.id))?;
        let mut columns: Vec<Column> = first
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
        // A row wider than the metadata says names its extra columns `_colN`.
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        columns.extend((columns.len()..width).map(|i| Column { name: format!("_col{i}"), kind: Kind::Text }));
        sink.columns(&columns).map_err(EngineError::Output)?;
        let mut token = first.next_token().map(String::from);
        if token.is_some()
            && has_header
            && let Some(location) = &exec.output_location
            && self.csv_into(location, columns.len(), sink).await?
        {
            return Ok(());
        }
        sink.rows(rows).map_err(EngineError::Output)?;
        while let Some(t) = token {
            let out = page(Some(t)).await.map_err(aws_error("Athena", "GetQueryResults", &exec.id))?;
            sink.rows(to_rows(&out)).map_err(EngineError::Output)?;
            token = out.next_token().map(String::from);
        }
        Ok(())
    }

    /// Streams the result CSV (header first) from S3 into `sink`. `false` when it cannot be used
    /// (unreadable, or its header does not match the columns) and nothing was handed on.
    async fn csv_into(
        &self,
        location: &str,
        width: usize,
        sink: &mut dyn RowSink,
    ) -> Result<bool, EngineError> {
        let Some((bucket, key)) = split_s3_url(location) else { return Ok(false) };
        let Ok(obj) = self.s3.get_object().bucket(bucket).key(key).send().await else { return Ok(false) };
        let mut body = obj.body;
        let mut reader = csv::Reader::default();
        let mut header_seen = false;
        let broken = |why: String| EngineError::Runtime(format!("reading {location}: {why}"));
        loop {
            let chunk = body.try_next().await.map_err(|e| broken(e.to_string()))?;
            let mut rows = match &chunk {
                Some(bytes) => reader.feed(bytes).map_err(broken)?,
                None => std::mem::take(&mut reader).finish().map_err(broken)?.into_iter().collect(),
            };
            if !header_seen && !rows.is_empty() {
                if rows[0].len() != width {
                    return Ok(false);
                }
                rows.remove(0);
                header_seen = true;
            }
            if rows.iter().any(|r| r.len() != width) {
                return Err(broken("a row does not match the result's columns".into()));
            }
            if !rows.is_empty() {
                sink.rows(rows).map_err(EngineError::Output)?;
            }
            if chunk.is_none() {
                return Ok(header_seen);
            }
        }
    }
}

impl Athena {
    /// A finished execution's rows into `sink`, stopped by a signal like everything else.
    async fn rows_or_stop(&self, exec: &Execution, sink: &mut dyn RowSink) -> Result<(), EngineError> {
        tokio::select! {
            r = self.rows_into(exec, sink) => r,
            signal = self.stop.wait() => Err(EngineError::Interrupted { id: None, signal }),
        }
    }
}

/// The wait between history pages.
const HISTORY_PACE: Duration = Duration::from_millis(200);

/// What athq keeps of an execution as Athena describes it.
fn execution_of(id: &str, q: &aws_sdk_athena::types::QueryExecution) -> Execution {
    let status = q.status();
    let stats = q.statistics();
    let error = status.and_then(|s| s.athena_error());
    Execution {
        id: id.to_string(),
        state: state_of(status.and_then(|s| s.state())),
        sql: q.query().unwrap_or_default().to_string(),
        statement_type: q.statement_type().map(|t| t.as_str().to_string()).unwrap_or_else(|| "DML".into()),
        workgroup: q.work_group().map(String::from),
        database: q.query_execution_context().and_then(|c| c.database()).map(String::from),
        reason: status.and_then(|s| s.state_change_reason()).map(String::from),
        error_category: error.and_then(|e| e.error_category()),
        error_type: error.and_then(|e| e.error_type()),
        data_scanned: stats.and_then(|s| s.data_scanned_in_bytes()).unwrap_or(0),
        engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis()).unwrap_or(0),
        queue_ms: stats.and_then(|s| s.query_queue_time_in_millis()).unwrap_or(0),
        reused: stats.and_then(|s| s.result_reuse_information()).is_some_and(|r| r.reused_previous_result()),
        output_location: q.result_configuration().and_then(|r| r.output_location()).map(String::from),
        submitted: status
            .and_then(|s| s.submission_date_time())
            .and_then(|t| jiff::Timestamp::new(t.secs(), t.subsec_nanos() as i32).ok()),
        total_ms: stats.and_then(|s| s.total_execution_time_in_millis()).unwrap_or(0),
    }
}

#[async_trait]
impl Engine for Athena {
    fn dialect(&self) -> Dialect {
        Dialect::Athena
    }

    async fn query_into(
        &self,
        sql: &str,
        opts: &RunOptions,
        progress: &dyn Progress,
        sink: &mut dyn RowSink,
    ) -> Result<Footer, EngineError> {
        let _guard = self.stop.guard();
        let exec = self.run(sql, opts, progress).await?;
        self.rows_or_stop(&exec, sink).await?;
        Ok(exec.summary())
    }

    async fn cost(&self, sql: &str, opts: &RunOptions) -> Result<Option<Cost>, EngineError> {
        self.budget.warn_unpartitioned(sql, opts);
        Ok(Some(self.budget.cost(sql, opts).await?))
    }

    async fn admit(&self, statements: &[Planned<'_>]) -> Result<(), EngineError> {
        self.budget.admit_all(statements).await
    }

    async fn status(&self, id: &str) -> Result<Execution, EngineError> {
        self.describe(id).await
    }

    async fn results_into(&self, id: &str, sink: &mut dyn RowSink) -> Result<Footer, EngineError> {
        let _guard = self.stop.guard();
        let exec = self.describe(id).await?;
        self.rows_or_stop(&exec, sink).await?;
        Ok(exec.summary())
    }

    async fn cancel(&self, id: &str) -> Result<(), EngineError> {
        self.stop_query(id).await
    }

    /// ListQueryExecutions, page by page (newest first), each page described by one
    /// BatchGetQueryExecution, until an execution is older than `since` or `limit` are listed.
    /// Pages after the first wait a little: history is a background chore, not worth throttling
    /// the queries of everyone else in the account.
    async fn history(
        &self,
        workgroup: &str,
        since: jiff::Timestamp,
        limit: usize,
        keep: &(dyn for<'e> Fn(&'e Execution) -> bool + Sync),
    ) -> Result<Vec<Execution>, EngineError> {
        let mut out: Vec<Execution> = Vec::new();
        let mut token: Option<String> = None;
        loop {
            if token.is_some() {
                tokio::time::sleep(HISTORY_PACE).await;
            }
            let page = self
                .client
                .list_query_executions()
                .work_group(workgroup)
                .max_results(50)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(aws_error("Athena", "ListQueryExecutions", workgroup))?;
            let ids: Vec<String> = page.query_execution_ids().to_vec();
            if !ids.is_empty() {
                let got = self
                    .client
                    .batch_get_query_execution()
                    .set_query_execution_ids(Some(ids.clone()))
                    .send()
                    .await
                    .map_err(aws_error("Athena", "BatchGetQueryExecution", workgroup))?;
                let mut by_id: std::collections::HashMap<&str, Execution> = got
                    .query_executions()
                    .iter()
                    .filter_map(|q| Some((q.query_execution_id()?, execution_of(q.query_execution_id()?, q))))
                    .collect();
                // In the listing's order; ids Athena could not describe are left out.
                for id in &ids {
                    let Some(e) = by_id.remove(id.as_str()) else { continue };
                    if e.submitted.is_some_and(|t| t < since) {
                        return Ok(out);
                    }
                    if !keep(&e) {
                        continue;
                    }
                    out.push(e);
                    if out.len() >= limit {
                        return Ok(out);
                    }
                }
            }
            token = page.next_token().map(String::from);
            if token.is_none() {
                return Ok(out);
            }
        }
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
    fn tokens_are_long_enough_and_differ() {
        let a = request_token("SELECT 1");
        assert_eq!(a.len(), 40);
        assert_ne!(a, request_token("SELECT 1"));
    }
}
