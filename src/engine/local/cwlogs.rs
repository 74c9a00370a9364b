//! CloudWatch Logs as a source for the embedded engine: `--source logs:GROUP`. Flow logs published
//! to a log group have one stream per network interface (`eni-…-all`, `-accept`, `-reject`), one
//! record per event, in the flow log's format and without a header. athq lists the group's
//! streams (DescribeLogStreams), reads the window's events of each with FilterLogEvents (start and
//! end in milliseconds, paged), a few streams at a time, and writes each stream as a text file
//! with a header of the table's fields, so the same reader, library and SQL run on it as on files.
//! A record without `interface-id` gets it from its stream's name. Throttling is retried by the
//! SDK's standard retry mode.

use std::path::Path;

use futures::{StreamExt, TryStreamExt};

use crate::engine::EngineError;
use crate::engine::aws::aws_error;
use crate::engine::local::files::{FileKind, LogFile, Selection};
use crate::render::TimeWindow;
use crate::table::FieldSet;

use crate::engine::local::LOGS_PREFIX;

/// Streams read at once: well under CloudWatch Logs' per-account FilterLogEvents rate.
const PARALLEL_STREAMS: usize = 4;

/// Events may be stamped at a record's start, its end or its arrival: the read reaches this far
/// past the window on both sides, and the SQL's own time filter keeps exactly the window's records.
const SLACK_MS: i64 = 3_600_000;

/// A CloudWatch Logs source: its group, and the stream prefix (`--interface`) that narrows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsSource {
    pub group: String,
    pub interface: Option<String>,
}

impl LogsSource {
    /// `logs:GROUP`, or None for any other source.
    pub fn parse(source: &str, interface: Option<&str>) -> Option<LogsSource> {
        let group = source.strip_prefix(LOGS_PREFIX)?;
        Some(LogsSource { group: group.to_string(), interface: interface.map(String::from) })
    }
}

/// The ENI a flow-log stream is named after: `eni-0abc-all` → `eni-0abc`.
pub fn interface_of(stream: &str) -> &str {
    ["-all", "-accept", "-reject"].iter().find_map(|s| stream.strip_suffix(s)).unwrap_or(stream)
}

/// Reads the window's events into one text file per stream under `dir`, as files to select.
pub async fn fetch(
    client: &aws_sdk_cloudwatchlogs::Client,
    source: &LogsSource,
    fields: &FieldSet,
    window: &TimeWindow,
    all: bool,
    dir: &Path,
) -> Result<Selection, EngineError> {
    let mut streams = Vec::new();
    let mut pages = client
        .describe_log_streams()
        .log_group_name(&source.group)
        .set_log_stream_name_prefix(source.interface.clone())
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("CloudWatch Logs", "DescribeLogStreams", &source.group))?;
        streams.extend(page.log_streams().iter().filter_map(|s| s.log_stream_name().map(String::from)));
    }
    if streams.is_empty() {
        return Err(EngineError::NoData {
            message: format!(
                "log group {} has no log streams{}",
                source.group,
                source.interface.as_deref().map(|i| format!(" starting with {i}")).unwrap_or_default()
            ),
            hint:
                "check the group's name (and --interface): flow logs write one stream per network interface"
                    .into(),
        });
    }
    let span =
        (!all).then(|| (window.from.as_millisecond() - SLACK_MS, window.to.as_millisecond() + SLACK_MS));
    let names: Vec<&str> = fields.fields().iter().map(|f| f.aws_name).collect();
    let add_eni = !names.contains(&"interface-id");
    let header = if add_eni { format!("{} interface-id", names.join(" ")) } else { names.join(" ") };
    let written: Vec<Option<LogFile>> = futures::stream::iter(streams.iter().enumerate())
        .map(|(n, stream)| {
            let header = header.clone();
            async move {
                let events = stream_events(client, &source.group, stream, span).await?;
                if events.is_empty() {
                    return Ok::<_, EngineError>(None);
                }
                let eni = interface_of(stream);
                let mut text = header;
                text.push('\n');
                for message in events {
                    // One event is one record: a line break inside a message would make two (the
                    // line then fails its header's field count and is counted as corrupt).
                    let message = message.trim_end();
                    if message.contains(['\n', '\r']) {
                        text.extend(message.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
                    } else {
                        text.push_str(message);
                    }
                    if add_eni {
                        text.push(' ');
                        text.push_str(eni);
                    }
                    text.push('\n');
                }
                // Stream names are ENI ids; anything else a name could hold is kept out of the path.
                // The stream's number keeps names apart that differ only in what is replaced.
                let safe: String = stream
                    .chars()
                    .take(100)
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                    .collect();
                let path = dir.join(format!("{n:06}-{safe}.log"));
                let size = text.len() as u64;
                std::fs::write(&path, text)
                    .map_err(|e| EngineError::Runtime(format!("{}: {e}", path.display())))?;
                // Undated: the SQL's own time filter keeps the window.
                Ok(Some(LogFile { path, size, kind: FileKind::Text, span: None }))
            }
        })
        .buffer_unordered(PARALLEL_STREAMS)
        .try_collect()
        .await?;
    let mut kept: Vec<LogFile> = written.into_iter().flatten().collect();
    if kept.is_empty() {
        return Err(EngineError::NoData {
            message: format!(
                "log group {} has no events {}in its {} stream(s)",
                source.group,
                if all { String::new() } else { format!("from {} to {} ", window.from, window.to) },
                streams.len()
            ),
            hint: "widen the window (--days, --from/--to, or --all), or check the group's name".into(),
        });
    }
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Selection { kept, ..Selection::default() })
}

/// One stream's event messages, oldest first, paged.
async fn stream_events(
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    stream: &str,
    span: Option<(i64, i64)>,
) -> Result<Vec<String>, EngineError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = client
            .filter_log_events()
            .log_group_name(group)
            .log_stream_names(stream)
            .set_next_token(token.clone());
        if let Some((start, end)) = span {
            req = req.start_time(start).end_time(end);
        }
        let page = req.send().await.map_err(aws_error(
            "CloudWatch Logs",
            "FilterLogEvents",
            &format!("{group} {stream}"),
        ))?;
        out.extend(page.events().iter().filter_map(|e| e.message().map(String::from)));
        match page.next_token() {
            // The same token again means the end (CloudWatch Logs may repeat it on an empty page).
            Some(t) if token.as_deref() != Some(t) => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_stream_names() {
        assert_eq!(
            LogsSource::parse("logs:/vpc/flow", Some("eni-1")),
            Some(LogsSource { group: "/vpc/flow".into(), interface: Some("eni-1".into()) })
        );
        assert_eq!(LogsSource::parse("./AWSLogs", None), None);
        assert_eq!(interface_of("eni-0abc123-all"), "eni-0abc123");
        assert_eq!(interface_of("eni-0abc123-reject"), "eni-0abc123");
        assert_eq!(interface_of("custom"), "custom");
    }
}
