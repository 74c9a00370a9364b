//! VPC Flow Logs: the service folder AWS delivers them in, the table AWS's documentation names,
//! records that overlap a window by their `start` and `end` epoch seconds, and the field catalog
//! (`fields.rs`). It must not know about commands, engines or output.

pub mod fields;

use jiff::Timestamp;

use crate::sql::ident;

/// The folder AWS delivers flow logs in: `AWSLogs/<account>/vpcflowlogs/<region>/…`, and the
/// service part of their object names and Hive paths (`aws-service=vpcflowlogs`).
pub const SERVICE: &str = "vpcflowlogs";

#[derive(Debug)]
pub struct FlowLogs;

impl super::LogKind for FlowLogs {
    fn name(&self) -> &'static str {
        "flowlogs"
    }

    fn title(&self) -> &'static str {
        "VPC Flow Logs"
    }

    fn default_table(&self) -> &'static str {
        "vpc_flow_logs"
    }

    fn service_folder(&self) -> &'static str {
        SERVICE
    }

    /// Records that overlap the window: `"end" >= from AND "start" < to` (epoch seconds).
    fn record_predicate(&self, from: Timestamp, to: Timestamp) -> String {
        format!("{} >= {} AND {} < {}", ident("end"), from.as_second(), ident("start"), to.as_second())
    }

    fn record_since(&self, since: &str) -> String {
        format!("{} >= to_unixtime({since})", ident("end"))
    }

    /// The flow-log table's DDL needs its whole profile (format, layout, fields), which is
    /// `table:` in athq.yaml and `table::ddl` until that moves into this folder.
    fn ddl(&self, _: &super::Delivery) -> Result<String, String> {
        Err("the flow-log table's DDL comes from `table:` in athq.yaml: run `athq table ddl` without --kind"
            .into())
    }

    /// Likewise: flow-log partitions depend on the profile's layout and granularity.
    fn day_partition(
        &self,
        _: &super::Delivery,
        _: &str,
        _: &str,
        _: jiff::civil::Date,
    ) -> Result<super::DayPartition, String> {
        Err("flow-log partitions come from `table:` in athq.yaml: run `athq partitions` without --kind"
            .into())
    }

    /// `athq sample` without --kind writes flow logs, with their own options (format, layout,
    /// fields, scenarios); that generator has not moved into this folder yet.
    fn sample(&self, _: &super::KindSample) -> Result<super::SampleReport, String> {
        Err("flow-log samples are `athq sample` without --kind".into())
    }
}
