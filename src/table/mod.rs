//! Table profiles: what the flow-log table is called, where its files are, how AWS lays them out,
//! and how it is partitioned. From a profile come the partition columns, the S3 prefix of each
//! partition, the DDL (`ddl.rs`) and partition statements (`partitions.rs`).
//! It validates every identifier and location once, so later SQL can trust them; it runs nothing.

pub mod convert;
pub mod ddl;
pub mod layout;
pub mod partitions;

use std::fmt;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

pub use crate::logs::flowlogs::fields::{self, Field, FieldSet};
pub use layout::{Granularity, Layout};

/// How the log files are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Space-delimited text with a header line (LazySimpleSerDe)
    Text,
    /// Text read through RegexSerDe with a regex generated from the field list
    Regex,
    /// Apache Parquet, read by column name
    Parquet,
}

pub use crate::logs::Partitioning;

/// A validated table profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProfile {
    pub name: String,
    pub database: String,
    /// `s3://bucket/prefix/AWSLogs/`, always ending in `/`.
    pub location: Option<String>,
    pub format: Format,
    pub layout: Layout,
    /// Whether the layout was configured (athq.yaml or a flag); when not, the embedded engine
    /// reads it from the source's paths.
    pub layout_given: bool,
    /// Partitions a day or an hour (AWS's layouts), or a month, day or hour (Firehose).
    pub granularity: Granularity,
    /// The Firehose layout's time column [default: `ingest_hour`, `ingest_day` or `ingest_month`].
    pub partition_column: Option<String>,
    pub partitioning: Partitioning,
    pub fields: FieldSet,
    /// Account ids the logs come from (projection enum values, partition paths).
    pub accounts: Vec<String>,
    /// Regions the logs come from.
    pub regions: Vec<String>,
    /// First day partition projection covers (`YYYY-MM-DD`).
    pub projection_start: jiff::civil::Date,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TableError {
    #[error("{what} `{value}` is not a valid Athena name: use lowercase letters, digits and underscores")]
    BadIdentifier { what: &'static str, value: String },
    #[error(
        "table location `{0}` must be s3://<bucket>/<prefix>/ with a valid bucket name and no quotes or spaces"
    )]
    BadLocation(String),
    #[error("account id `{0}` must be 12 digits")]
    BadAccount(String),
    #[error("region `{0}` is not an AWS region name")]
    BadRegion(String),
    #[error("{0}")]
    Granularity(String),
    #[error("the table needs {} set for this", .0.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", "))]
    Missing(Vec<&'static str>),
}

/// What to do about missing table settings: each as an athq.yaml key and a flag.
pub fn missing_hint(e: &TableError) -> Option<String> {
    let TableError::Missing(what) = e else { return None };
    let keys: Vec<String> = what.iter().map(|w| format!("table.{w}")).collect();
    let flags: Vec<String> = what.iter().map(|w| format!("--{w}")).collect();
    Some(format!("set {} in athq.yaml, or pass {}", keys.join(", "), flags.join(" ")))
}

/// Checks a database or table name against Athena's rules (lowercase, digits, underscore).
pub fn validate_identifier(what: &'static str, value: &str) -> Result<(), TableError> {
    let ok = !value.is_empty()
        && value.len() <= 255
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok { Ok(()) } else { Err(TableError::BadIdentifier { what, value: value.to_string() }) }
}

/// Checks and normalises an S3 location (a trailing `/` is added).
pub fn validate_location(value: &str) -> Result<String, TableError> {
    let bad = || TableError::BadLocation(value.to_string());
    let rest = value.strip_prefix("s3://").ok_or_else(bad)?;
    let bucket = rest.split('/').next().unwrap_or_default();
    if bucket.len() < 3
        || value.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '\\'))
    {
        return Err(bad());
    }
    let mut location = value.to_string();
    if !location.ends_with('/') {
        location.push('/');
    }
    Ok(location)
}

pub fn validate_account(value: &str) -> Result<(), TableError> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(TableError::BadAccount(value.to_string()))
    }
}

pub fn validate_region(value: &str) -> Result<(), TableError> {
    let ok = (4..=32).contains(&value.len())
        && value.contains('-')
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok { Ok(()) } else { Err(TableError::BadRegion(value.to_string())) }
}

/// One partition column: its name, and how a point in time is written in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionColumn {
    pub name: String,
    pub kind: PartitionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionKind {
    Account,
    Service,
    Region,
    /// `yyyy/MM/dd` (plain layout, daily).
    DaySlash,
    /// `yyyy/MM/dd/HH` (plain layout, hourly).
    HourSlash,
    Year,
    Month,
    Day,
    Hour,
    /// Firehose delivery's one time column: `2017-01-14-07` (the AWS article's form, for catalog
    /// partitions) or `2017/01/14/07` (`slashes`, the folder path, for projection), to the unit.
    Ingest {
        unit: Granularity,
        slashes: bool,
    },
}

impl PartitionKind {
    /// The value this column takes for a given hour (time columns only).
    pub fn time_value(self, at: DateTime) -> Option<String> {
        Some(match self {
            PartitionKind::Ingest { unit, slashes } => {
                let text = at.strftime(unit.strftime()).to_string();
                if slashes { text } else { text.replace('/', "-") }
            }
            PartitionKind::DaySlash => at.strftime("%Y/%m/%d").to_string(),
            PartitionKind::HourSlash => at.strftime("%Y/%m/%d/%H").to_string(),
            PartitionKind::Year => at.strftime("%Y").to_string(),
            PartitionKind::Month => at.strftime("%m").to_string(),
            PartitionKind::Day => at.strftime("%d").to_string(),
            PartitionKind::Hour => at.strftime("%H").to_string(),
            PartitionKind::Account | PartitionKind::Service | PartitionKind::Region => return None,
        })
    }
}

impl TableProfile {
    /// The kind of log the table holds (flow logs: `table:` in athq.yaml means the flow-log table).
    pub fn kind(&self) -> &'static dyn crate::logs::LogKind {
        crate::logs::flow_logs()
    }

    pub fn new_default() -> TableProfile {
        TableProfile {
            name: crate::logs::flow_logs().default_table().into(),
            database: "default".into(),
            location: None,
            format: Format::Text,
            layout: Layout::Plain,
            layout_given: false,
            granularity: Granularity::Day,
            partition_column: None,
            partitioning: Partitioning::Projection,
            fields: FieldSet::default_v2(),
            accounts: Vec::new(),
            regions: Vec::new(),
            projection_start: jiff::civil::date(2020, 1, 1),
        }
    }

    /// Checks that the layout, granularity and partition column go together.
    pub fn check_shape(&self) -> Result<(), TableError> {
        if self.granularity == Granularity::Month && self.layout != Layout::Firehose {
            return Err(TableError::Granularity(format!(
                "monthly partitions are for the firehose layout; AWS's {} layout has day (and hour) folders",
                self.layout
            )));
        }
        if let Some(c) = &self.partition_column {
            if self.layout != Layout::Firehose {
                return Err(TableError::Granularity(format!(
                    "partition_column `{c}` is for the firehose layout; the {} layout's columns are fixed",
                    self.layout
                )));
            }
            validate_identifier("partition column", c)?;
        }
        Ok(())
    }

    /// Every configured account and region pair, as the folders name them; Firehose's folders name
    /// neither, so one pair of empty names.
    pub fn account_regions(&self) -> Vec<(String, String)> {
        if self.layout == Layout::Firehose {
            return vec![(String::new(), String::new())];
        }
        self.accounts.iter().flat_map(|a| self.regions.iter().map(move |r| (a.clone(), r.clone()))).collect()
    }

    /// Text files start with a header line (AWS's deliveries; not Firehose's).
    pub fn has_header(&self) -> bool {
        self.format != Format::Parquet && self.layout != Layout::Firehose
    }

    /// Hourly partitions.
    pub fn hourly(&self) -> bool {
        self.granularity == Granularity::Hour
    }

    /// The partition columns, in order (the layout says which).
    pub fn partition_columns(&self) -> Vec<PartitionColumn> {
        self.layout.partition_columns(self.granularity, self.partitioning, self.partition_column.as_deref())
    }

    /// The partition columns that carry time, in order.
    pub fn time_partition_columns(&self) -> Vec<PartitionColumn> {
        self.partition_columns()
            .into_iter()
            .filter(|c| {
                !matches!(c.kind, PartitionKind::Account | PartitionKind::Service | PartitionKind::Region)
            })
            .collect()
    }

    pub fn location(&self) -> Result<&str, TableError> {
        self.location.as_deref().ok_or(TableError::Missing(vec!["location"]))
    }

    /// The S3 prefix holding one account's, region's and day's (or hour's) files.
    pub fn partition_prefix(&self, account: &str, region: &str, at: DateTime) -> Result<String, TableError> {
        let root = self.layout.account_root(self.location()?, account, region);
        Ok(format!("{root}{}", self.layout.time_folders(at, self.granularity)))
    }

    /// Checks that the location and, where `paths` is set, the accounts and regions are set,
    /// naming every one that is missing at once.
    pub fn require(&self, paths: bool) -> Result<(), TableError> {
        let mut missing = Vec::new();
        if self.location.is_none() {
            missing.push("location");
        }
        // Firehose's folders name no account or region.
        let paths = paths && self.layout != Layout::Firehose;
        if paths && self.accounts.is_empty() {
            missing.push("accounts");
        }
        if paths && self.regions.is_empty() {
            missing.push("regions");
        }
        if missing.is_empty() { Ok(()) } else { Err(TableError::Missing(missing)) }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Regex => "regex",
            Format::Parquet => "parquet",
        })
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Plain => "plain",
            Layout::Hive => "hive",
            Layout::Firehose => "firehose",
        })
    }
}

impl fmt::Display for Partitioning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Partitioning::Projection => "projection",
            Partitioning::Managed => "managed",
            Partitioning::None => "none",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_locations_are_checked() {
        assert!(validate_identifier("table", "vpc_flow_logs").is_ok());
        assert!(validate_identifier("table", "Flow").is_err());
        assert!(validate_identifier("table", "a;drop").is_err());
        assert_eq!(validate_location("s3://bkt/p/AWSLogs").unwrap(), "s3://bkt/p/AWSLogs/");
        assert!(validate_location("s3://bkt/p'x/").is_err());
        assert!(validate_location("https://bkt/").is_err());
        assert!(validate_account("123456789012").is_ok());
        assert!(validate_account("12345").is_err());
        assert!(validate_region("eu-west-1").is_ok());
        assert!(validate_region("eu west").is_err());
    }

    #[test]
    fn partition_prefixes_follow_aws_layouts() {
        let mut t = TableProfile::new_default();
        t.location = Some("s3://b/x/AWSLogs/".into());
        let at = jiff::civil::date(2026, 3, 7).at(5, 0, 0, 0);
        assert_eq!(
            t.partition_prefix("111122223333", "us-east-1", at).unwrap(),
            "s3://b/x/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/03/07/"
        );
        t.granularity = Granularity::Hour;
        t.layout = Layout::Hive;
        assert_eq!(
            t.partition_prefix("111122223333", "us-east-1", at).unwrap(),
            "s3://b/x/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=03/day=07/hour=05/"
        );
    }
}
