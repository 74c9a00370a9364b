//! athq's one integration-test binary: rendered SQL and DDL snapshots, the independent SQL parser
//! check, hostile parameter values, and the CLI through the built binary.

mod athena;
mod chart;
mod cli;
mod cloudtrail;
mod corpus;
pub mod cost;
mod cwlogs;
mod detections;
pub mod faults;
mod fuzz;
mod guards;
mod history;
mod hostile;
mod integrity;
mod investigate;
mod local;
mod local_only;
mod readme;
mod report;
mod saved;
mod shell;
mod shell_integration;
mod snapshots;
mod sqlglot;
mod standin;
mod support;
mod tls;

pub use support::{Out, run};

use athq::library::{Library, Query};
use athq::render::window::parse_time;
use athq::render::{self, Dialect, RenderContext, TimeWindow, WindowSpec};
use athq::table::partitions::{self, ATHENA_MAX_QUERY_BYTES};
use athq::table::{FieldSet, Format, Granularity, Layout, Partitioning, TableProfile, ddl};
use ipnet::IpNet;
use jiff::SignedDuration;

pub const NOW: &str = "2026-11-22T10:26:29Z";

/// The table the snapshots describe: every field through v5, plain layout, projection.
pub fn table() -> TableProfile {
    let mut t = TableProfile::new_default();
    t.database = "flowlogs".into();
    t.location = Some("s3://athq-flow-logs/prefix/AWSLogs/".into());
    t.accounts = vec!["111122223333".into()];
    t.regions = vec!["us-east-1".into(), "eu-west-1".into()];
    t.fields = FieldSet::parse("v5").unwrap();
    t
}

pub fn vpc_cidrs() -> Vec<IpNet> {
    vec!["10.20.0.0/16".parse().unwrap(), "172.31.0.0/16".parse().unwrap()]
}

/// Parameters the queries without defaults need.
pub fn required_params(q: &Query) -> Vec<(String, String)> {
    q.params
        .iter()
        .filter(|p| p.default.is_none() && p.default_from.is_none())
        .map(|p| (p.name.clone(), "10.20.1.7".to_string()))
        .collect()
}

pub fn render_with(q: &Query, table: &TableProfile, dialect: Dialect) -> String {
    let cidrs = vpc_cidrs();
    let window =
        TimeWindow::resolve(&WindowSpec::Last(SignedDuration::from_hours(72)), parse_time(NOW).unwrap())
            .unwrap();
    let ctx = RenderContext { table, vpc_cidrs: &cidrs, window, dialect, relative: None };
    render::render(q, &required_params(q), &ctx).unwrap_or_else(|e| panic!("{}: {e}", q.name))
}

pub fn library() -> Library {
    Library::builtin().unwrap()
}

/// Every table shape: format × layout × granularity × partitioning.
pub fn shapes() -> Vec<(String, TableProfile)> {
    let mut out = Vec::new();
    for format in [Format::Text, Format::Regex, Format::Parquet] {
        for layout in [Layout::Plain, Layout::Hive] {
            for hourly in [false, true] {
                for partitioning in [Partitioning::Projection, Partitioning::Managed, Partitioning::None] {
                    let mut t = table();
                    t.fields = FieldSet::default_v2();
                    t.format = format;
                    t.layout = layout;
                    t.granularity =
                        if hourly { athq::table::Granularity::Hour } else { athq::table::Granularity::Day };
                    t.partitioning = partitioning;
                    let name = format!(
                        "{format}-{layout}-{}-{partitioning}",
                        if hourly { "hourly" } else { "daily" }
                    );
                    out.push((name, t));
                }
            }
        }
    }
    // Firehose delivery: text without a header line, a month, day or hour a partition.
    for format in [Format::Text, Format::Regex] {
        for granularity in [Granularity::Month, Granularity::Day, Granularity::Hour] {
            for partitioning in [Partitioning::Projection, Partitioning::Managed, Partitioning::None] {
                let mut t = table();
                t.fields = FieldSet::default_v2();
                (t.format, t.layout, t.granularity, t.partitioning) =
                    (format, Layout::Firehose, granularity, partitioning);
                t.location = Some("s3://firehose-bucket/flowlogs/".into());
                out.push((
                    format!("{format}-firehose-{}ly-{partitioning}", granularity.name())
                        .replace("dayly", "daily"),
                    t,
                ));
            }
        }
    }
    let mut t = table();
    (t.layout, t.granularity, t.partitioning) = (Layout::Firehose, Granularity::Hour, Partitioning::Managed);
    t.partition_column = Some("ingestdatetime".into());
    t.location = Some("s3://firehose-bucket/flowlogs/".into());
    out.push(("text-firehose-hourly-managed-ingestdatetime".into(), t));
    for (format, fields) in [(Format::Text, "v5"), (Format::Parquet, "all"), (Format::Regex, "v3")] {
        let mut t = table();
        t.format = format;
        t.fields = FieldSet::parse(fields).unwrap();
        out.push((format!("{format}-plain-daily-projection-{fields}"), t));
    }
    let mut t = table();
    t.fields = FieldSet::parse("${action} ${srcaddr} ${dstaddr} ${start} ${end} ${bytes} ${type}").unwrap();
    out.push(("text-plain-daily-projection-custom".into(), t));
    out
}

pub fn ddl_of(t: &TableProfile) -> String {
    ddl::create_table(t).unwrap()
}

pub fn managed(layout: Layout, hourly: bool) -> TableProfile {
    let mut t = table();
    t.layout = layout;
    t.granularity = if hourly { athq::table::Granularity::Hour } else { athq::table::Granularity::Day };
    t.partitioning = Partitioning::Managed;
    t
}

pub fn add_statements(t: &TableProfile) -> Vec<String> {
    let d = |s: &str| s.parse().unwrap();
    partitions::add(t, d("2026-11-20"), d("2026-11-22"), ATHENA_MAX_QUERY_BYTES).unwrap()
}
