//! AWS plumbing shared by the Athena engine, the S3 source, Glue and saved-query sync: the SDK
//! configuration (the standard chain, then athq's settings), the service clients, a notice on
//! stderr when a call keeps being retried, and AWS errors as one line naming the service,
//! operation, resource, error code and AWS's message. It must not run queries.

use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_athena::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_athena::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_athena::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use crate::engine::EngineError;
use crate::settings::Settings;

/// Attempts per AWS call (throttling backs off between them) unless AWS_MAX_ATTEMPTS says otherwise.
const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// How long retrying goes on silently before athq says so.
const QUIET_RETRY: Duration = Duration::from_secs(1);

use crate::engine::Notify;

/// The SDK configuration and the clients built from it.
#[derive(Clone)]
pub struct Aws {
    config: SdkConfig,
    notify: Notify,
}

impl std::fmt::Debug for Aws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aws").field("region", &self.config.region()).finish()
    }
}

impl Aws {
    /// The standard chain (profiles, SSO, environment), then athq's settings.
    pub async fn connect(settings: &Settings, notify: Notify) -> Result<Aws, EngineError> {
        use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
        let https = aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring));
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(https.build_https());
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
        Ok(Aws { config, notify })
    }

    pub fn region(&self) -> Option<&str> {
        self.config.region().map(|r| r.as_ref())
    }

    pub fn athena(&self) -> aws_sdk_athena::Client {
        let conf = aws_sdk_athena::config::Builder::from(&self.config)
            .interceptor(RetryNotice(self.notify.clone()))
            .build();
        aws_sdk_athena::Client::from_conf(conf)
    }

    /// S3, path-style for custom endpoints.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(self.config.endpoint_url().is_some())
            .interceptor(RetryNotice(self.notify.clone()))
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        let conf = aws_sdk_cloudwatchlogs::config::Builder::from(&self.config)
            .interceptor(RetryNotice(self.notify.clone()))
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(conf)
    }

    pub fn glue(&self) -> aws_sdk_glue::Client {
        let conf = aws_sdk_glue::config::Builder::from(&self.config)
            .interceptor(RetryNotice(self.notify.clone()))
            .build();
        aws_sdk_glue::Client::from_conf(conf)
    }
}

/// Splits `s3://bucket/key` into bucket and key.
pub fn split_s3_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/')?;
    (!bucket.is_empty()).then_some((bucket, key))
}

/// The deepest cause's message: the one that says what actually happened.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if !text.is_empty() {
            last = text;
        }
        cur = c.source();
    }
    last
}

/// Turns an SDK error into one line: `<service> <operation> (<resource>): <code>: <message>`.
pub fn aws_error<E>(
    service: &'static str,
    operation: &'static str,
    resource: &str,
) -> impl FnOnce(SdkError<E, HttpResponse>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let resource = resource.to_string();
    move |e| {
        let code = e.code().map(String::from);
        let message = match &e {
            SdkError::ServiceError(s) => match (s.err().code(), s.err().message()) {
                (Some(c), Some(m)) => format!("{c}: {m}"),
                (Some(c), None) => c.to_string(),
                _ => format!("HTTP {} with no AWS error in the answer", s.raw().status().as_u16()),
            },
            SdkError::DispatchFailure(_) => format!("cannot reach the endpoint: {}", root_cause(&e)),
            SdkError::TimeoutError(_) => "timed out".into(),
            SdkError::ResponseError(_) => format!("unreadable answer: {}", root_cause(&e)),
            _ => root_cause(&e),
        };
        EngineError::Aws { service, operation, resource, code, message }
    }
}

/// When the attempt before this one started, and what went wrong with it.
#[derive(Debug, Clone)]
struct Attempts {
    first: Instant,
    last_failure: Option<String>,
}

impl Storable for Attempts {
    type Storer = StoreReplace<Self>;
}

/// Says on stderr that a call is being retried, once it has been retried for a second.
struct RetryNotice(Notify);

impl std::fmt::Debug for RetryNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryNotice")
    }
}

impl Intercept for RetryNotice {
    fn name(&self) -> &'static str {
        "athq-retry-notice"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let attempt = cfg.load::<RequestAttempts>().map(|a| a.attempts()).unwrap_or(1);
        let Some(state) = cfg.load::<Attempts>().cloned() else {
            cfg.interceptor_state().store_put(Attempts { first: Instant::now(), last_failure: None });
            return Ok(());
        };
        if attempt >= 2 && state.first.elapsed() >= QUIET_RETRY {
            let (service, op) = cfg
                .load::<Metadata>()
                .map(|m| (m.service().to_string(), m.name().to_string()))
                .unwrap_or_default();
            let why = state.last_failure.unwrap_or_else(|| "an error".into());
            (self.0)(&format!(
                "retrying {service} {op} after {why} (attempt {attempt}, {:.0} s so far)",
                state.first.elapsed().as_secs_f64()
            ));
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let failure = match context.response() {
            Some(r) if r.status().is_success() => None,
            Some(r) => Some(format!("HTTP {}", r.status().as_u16())),
            None => Some("a connection error".to_string()),
        };
        if let Some(mut state) = cfg.load::<Attempts>().cloned() {
            state.last_failure = failure;
            cfg.interceptor_state().store_put(state);
        }
        Ok(())
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
}
