//! Log kinds: everything particular to one kind of AWS log (its service folder, its table's name
//! in AWS's documentation, its time predicate, its field catalog) lives in one folder here, and
//! the rest of athq asks the kind through [`LogKind`] instead of assuming flow logs. A new kind is
//! a new folder and one line in [`KINDS`]. It must not know about commands, engines or output.

pub mod cloudtrail;
pub mod flowlogs;
pub mod rng;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How Athena learns about partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Partitioning {
    /// Partition projection: no catalog partitions to maintain
    Projection,
    /// Partitions kept in the catalog (MSCK REPAIR TABLE or ALTER TABLE ADD PARTITION)
    Managed,
    /// No partitions: every query reads the whole location
    None,
}

/// Where one kind's table reads its logs and how Athena finds its partitions: a `tables:` entry
/// in athq.yaml (or, where there is none, the flow-log table's bucket, accounts and regions).
/// Every value is validated before it gets here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub name: String,
    pub database: String,
    /// `s3://bucket/prefix/AWSLogs/`, ending in `/`.
    pub location: Option<String>,
    /// An organization trail's id (`o-…`), the folder between `AWSLogs/` and the accounts.
    pub organization: Option<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub partitioning: Partitioning,
    /// The first day partition projection covers.
    pub projection_start: jiff::civil::Date,
}

/// What generic code asks of a log kind.
pub trait LogKind: Sync + std::fmt::Debug {
    /// The name `--kind` takes and a library query's `kind:` gives (`flowlogs`).
    fn name(&self) -> &'static str;
    /// What the logs are, for help and messages (`VPC Flow Logs`).
    fn title(&self) -> &'static str;
    /// The table's name in AWS's documentation (`vpc_flow_logs`), athq's default.
    fn default_table(&self) -> &'static str;
    /// The folder AWS delivers the logs under, after `AWSLogs/<account>/` (`vpcflowlogs`).
    fn service_folder(&self) -> &'static str;
    /// SQL that keeps the records of `[from, to)`, on the kind's own time columns.
    fn record_predicate(&self, from: Timestamp, to: Timestamp) -> String;
    /// SQL that keeps the records since `since`, a SQL timestamp expression evaluated when the
    /// query runs (for saved queries, whose text must not change from one sync to the next).
    fn record_since(&self, since: &str) -> String;
    /// CREATE EXTERNAL TABLE for the kind's logs delivered as `d` says.
    fn ddl(&self, d: &Delivery) -> Result<String, String>;
    /// The catalog partition holding one account's and region's logs of a day (for tables whose
    /// partitions are kept in the catalog).
    fn day_partition(
        &self,
        d: &Delivery,
        account: &str,
        region: &str,
        day: Date,
    ) -> Result<DayPartition, String>;
    /// Writes sample logs in AWS's layout.
    fn sample(&self, s: &KindSample) -> Result<SampleReport, String>;
}

/// What `athq sample --kind K` asks a kind to write.
#[derive(Debug, Clone)]
pub struct KindSample {
    pub out: std::path::PathBuf,
    pub days: u32,
    pub records: u64,
    pub seed: u64,
    pub account: String,
    pub region: String,
    /// An organization trail's id, for kinds that have them.
    pub organization: Option<String>,
    pub now: Timestamp,
}

/// What a sample generator wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleReport {
    pub files: usize,
    pub records: u64,
    pub bytes: u64,
    /// Files beside the logs that are not logs (CloudTrail's digests).
    pub digests: usize,
}

/// One catalog partition: its columns' values, in the table's order, and its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPartition {
    pub values: Vec<(&'static str, String)>,
    pub location: String,
}

/// Every log kind athq knows: the registry, one line per kind.
pub static KINDS: &[&dyn LogKind] = &[&flowlogs::FlowLogs, &cloudtrail::CloudTrail];

/// The kind called `name`.
pub fn find(name: &str) -> Option<&'static dyn LogKind> {
    KINDS.iter().copied().find(|k| k.name() == name)
}

/// The kind athq started with, and the one `table:` in athq.yaml means.
pub fn flow_logs() -> &'static dyn LogKind {
    &flowlogs::FlowLogs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_names_tables_and_folders() {
        for (i, a) in KINDS.iter().enumerate() {
            assert_eq!(find(a.name()).map(|k| k.name()), Some(a.name()));
            for b in &KINDS[i + 1..] {
                assert_ne!(a.name(), b.name());
                assert_ne!(a.default_table(), b.default_table());
                assert_ne!(a.service_folder(), b.service_folder());
            }
        }
        assert!(find("nosuchkind").is_none());
    }
}
