//! Exit codes and how errors are shown: `error: <what>`, its causes, then `hint: <what to do>`
//! after a blank line. Library errors are input problems (exit 2); everything else failed (exit 1).

use std::fmt::Write as _;

use crate::engine::EngineError;
use crate::library::LibraryError;
use crate::logs::flowlogs::fields::FieldSetError;
use crate::render::RenderError;
use crate::render::window::WindowError;
use crate::settings::SettingsError;
use crate::table::TableError;
use crate::table::partitions::PartitionError;

/// Documented exit codes.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// The query failed or was cancelled, or a check found drift.
    pub const FAILURE: u8 = 1;
    /// Usage, configuration or input error.
    pub const USAGE: u8 = 2;
    /// Interrupted by Ctrl-C (after stopping the query); SIGTERM gives 143 and SIGHUP 129.
    pub const INTERRUPTED: u8 = 130;
}

/// A check found something to do or to look at (exit 1): pending changes, conflicts, missing
/// partitions.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Drift {
    pub message: String,
    pub hint: Option<String>,
}

impl Drift {
    pub fn new(message: impl Into<String>) -> Drift {
        Drift { message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Drift {
        self.hint = Some(hint.into());
        self
    }
}

/// An input problem found at the command edge, with an optional hint.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub message: String,
    pub hint: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> InputError {
        InputError { message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> InputError {
        self.hint = Some(hint.into());
        self
    }
}

fn is_input(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<InputError>()
        || e.is::<LibraryError>()
        || e.is::<RenderError>()
        || e.is::<WindowError>()
        || e.is::<SettingsError>()
        || e.is::<TableError>()
        || e.is::<FieldSetError>()
        || e.is::<PartitionError>()
        || e.is::<crate::table::convert::ConvertError>()
        || e.downcast_ref::<EngineError>().is_some_and(EngineError::is_input)
}

pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.is::<crate::output::ClosedPipe>()) {
        exit::SUCCESS
    } else if let Some(signal) = err.chain().find_map(|e| match e.downcast_ref::<EngineError>() {
        Some(EngineError::Interrupted { signal, .. }) => Some(*signal),
        _ => None,
    }) {
        signal.exit_code()
    } else if err.chain().any(is_input) {
        exit::USAGE
    } else {
        exit::FAILURE
    }
}

fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|e| {
        if let Some(e) = e.downcast_ref::<InputError>() {
            return e.hint.clone();
        }
        if let Some(e) = e.downcast_ref::<Drift>() {
            return e.hint.clone();
        }
        if let Some(e) = e.downcast_ref::<RenderError>() {
            return e.hint();
        }
        if let Some(e) = e.downcast_ref::<PartitionError>() {
            return e.hint();
        }
        if let Some(e) = e.downcast_ref::<crate::table::convert::ConvertError>() {
            return e.hint();
        }
        if let Some(e) = e.downcast_ref::<EngineError>() {
            return e.hint();
        }
        if let Some(LibraryError::Malformed { .. }) = e.downcast_ref::<LibraryError>() {
            return Some("fix the query file; `athq check` lists every problem in the library".into());
        }
        if let Some(LibraryError::NotFound { suggestion, .. }) = e.downcast_ref::<LibraryError>() {
            return Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? `athq list` shows every query"),
                None => "`athq list` shows every query".to_string(),
            });
        }
        if let Some(e @ TableError::Missing(_)) = e.downcast_ref::<TableError>() {
            return crate::table::missing_hint(e);
        }
        if e.is::<SettingsError>() {
            return Some("see the configuration reference in the README".into());
        }
        None
    })
}

/// The full message for stderr.
pub fn report(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err}\n");
    let mut last = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !last.contains(&text) {
            let _ = writeln!(out, "  caused by: {text}");
        }
        last = text;
    }
    if let Some(h) = hint(err) {
        let _ = write!(out, "\nhint: {h}\n");
    }
    crate::output::visible(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_contract() {
        let code = |e: EngineError| exit_code(&anyhow::Error::new(e));
        assert_eq!(code(EngineError::Config("no AWS region".into())), exit::USAGE);
        assert_eq!(code(EngineError::Runtime("reading s3://b/k: reset".into())), exit::FAILURE);
        let interrupted = |signal| EngineError::Interrupted { id: Some("q".into()), signal };
        assert_eq!(code(interrupted(crate::engine::Signal::Interrupt)), exit::INTERRUPTED);
        assert_eq!(code(interrupted(crate::engine::Signal::Terminate)), 143);
        assert_eq!(code(interrupted(crate::engine::Signal::Hangup)), 129);
        assert_eq!(exit_code(&anyhow::Error::new(Drift::new("1 conflict"))), exit::FAILURE);
        let missing = EngineError::Aws {
            service: "S3",
            operation: "ListObjectsV2",
            resource: "nope".into(),
            code: Some("NoSuchBucket".into()),
            message: "NoSuchBucket: The specified bucket does not exist".into(),
        };
        assert_eq!(code(missing), exit::USAGE);
        let e = anyhow::Error::new(EngineError::Cancelled { id: "q".into(), reason: None, hint: None })
            .context("while running");
        assert_eq!(exit_code(&e), exit::FAILURE);
        assert_eq!(exit_code(&anyhow::Error::new(crate::output::ClosedPipe)), exit::SUCCESS);
        assert_eq!(exit_code(&anyhow::Error::new(InputError::new("bad"))), exit::USAGE);
    }
}
