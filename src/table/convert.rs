//! `athq table convert --to parquet`: a partitioned Parquet copy of the configured text table, made
//! by Athena itself, for regions and accounts whose flow logs arrive as text. The copy is laid out
//! as AWS delivers Parquet in the Hive layout (`aws-account-id=…/aws-service=vpcflowlogs/
//! aws-region=…/year=…/month=…/day=…[/hour=…]/`), so athq's DDL, projection and partition commands
//! serve it as they serve AWS's own. The first batch is a CTAS that creates the table, the rest
//! `INSERT INTO` it; each writes at most 100 partitions, Athena's limit for one query. Partitions
//! the copy already has are left out, so a stopped conversion resumes where it stopped.
//! It builds statements; running them belongs to the command.

use std::collections::HashSet;

use jiff::civil::{Date, DateTime};

use crate::logs::flowlogs::SERVICE;
use crate::sql::{ident, literal};
use crate::table::partitions::{self, PartitionError};
use crate::table::{Format, Layout, PartitionColumn, PartitionKind, Partitioning, TableProfile};

/// Athena's limit on the partitions one CTAS or INSERT INTO writes.
pub const MAX_PARTITIONS_PER_QUERY: usize = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConvertError {
    #[error("table `{0}` is Parquet already")]
    AlreadyParquet(String),
    #[error("table `{0}` is not partitioned: a conversion reads it a day at a time by its partitions")]
    NotPartitioned(String),
    #[error(
        "table `{0}` is laid out by Firehose, whose folders name no account or region: the copy's layout needs them"
    )]
    Firehose(String),
    #[error("the copy cannot be the table itself (`{0}`)")]
    SameTable(String),
    #[error(
        "one {unit}'s partitions ({accounts} account(s) × {regions} region(s) = {n}) are more than the {MAX_PARTITIONS_PER_QUERY} one query may write"
    )]
    TooWide { unit: &'static str, accounts: usize, regions: usize, n: usize },
    #[error(
        "the copy's location {copy} overlaps the source table's {from}: each would read the other's files"
    )]
    Overlaps { copy: String, from: String },
    #[error(
        "table `{0}` exists and is not Parquet: the conversion would write Parquet into it with INSERT INTO"
    )]
    ExistingNotParquet(String),
    #[error("table `{name}` exists at {location}, not at --target-location {wanted}")]
    ExistingElsewhere { name: String, location: String, wanted: String },
    #[error("table `{name}` exists with {has} compression, not --compression {wanted}")]
    ExistingCompression { name: String, has: String, wanted: String },
    #[error(transparent)]
    Partitions(#[from] PartitionError),
}

/// What the catalog holds of an existing copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    pub location: Option<String>,
    pub parquet: bool,
    /// Its `parquet.compression` or `write.compression` property, when it has one.
    pub compression: Option<String>,
}

/// A location as a folder, for comparing: `s3://b/x` and `s3://b/x/` are one.
fn folder(location: &str) -> String {
    let l = location.trim();
    if l.ends_with('/') { l.to_string() } else { format!("{l}/") }
}

/// An existing copy is one to add to: Parquet, at the copy's location, with its compression (when
/// the catalog says). Anything else is refused rather than silently kept or written into.
pub fn check_existing(
    copy: &TableProfile,
    existing: &Existing,
    compression: Compression,
) -> Result<(), ConvertError> {
    if !existing.parquet {
        return Err(ConvertError::ExistingNotParquet(copy.name.clone()));
    }
    let wanted = copy.location.as_deref().unwrap_or_default();
    if let Some(location) = &existing.location
        && folder(location) != folder(wanted)
    {
        return Err(ConvertError::ExistingElsewhere {
            name: copy.name.clone(),
            location: location.clone(),
            wanted: wanted.to_string(),
        });
    }
    if let Some(has) = &existing.compression
        && !has.eq_ignore_ascii_case(compression.sql())
    {
        return Err(ConvertError::ExistingCompression {
            name: copy.name.clone(),
            has: has.to_ascii_lowercase(),
            wanted: compression.sql().to_ascii_lowercase(),
        });
    }
    Ok(())
}

impl ConvertError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ConvertError::AlreadyParquet(_) => Some("nothing to convert: query it as it is".into()),
            ConvertError::NotPartitioned(_) => {
                Some("set table.partitioning to projection or managed for the text table".into())
            }
            ConvertError::SameTable(_) => Some("name the copy with --target NAME".into()),
            ConvertError::Firehose(_) => Some(
                "query it as it is, or copy it yourself with CTAS (see the README's conversion section for the shape)"
                    .into(),
            ),
            ConvertError::TooWide { .. } => {
                Some("convert fewer accounts or regions at a time (--accounts, --regions)".into())
            }
            ConvertError::Overlaps { .. } => {
                Some("give --target-location a folder outside the source table's location".into())
            }
            ConvertError::ExistingNotParquet(_) => Some("name another copy with --target NAME".into()),
            ConvertError::ExistingElsewhere { location, .. } => Some(format!(
                "resume that copy with --target-location {location}, or name another with --target NAME"
            )),
            ConvertError::ExistingCompression { has, .. } => {
                Some(format!("resume that copy with --compression {has}, or name another with --target NAME"))
            }
            ConvertError::Partitions(e) => e.hint(),
        }
    }
}

/// Compression of the Parquet files (`write_compression`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Compression {
    Snappy,
    Gzip,
    Zstd,
}

impl Compression {
    fn sql(self) -> &'static str {
        match self {
            Compression::Snappy => "SNAPPY",
            Compression::Gzip => "GZIP",
            Compression::Zstd => "ZSTD",
        }
    }
}

/// The copy's profile: the source's fields, accounts, regions and granularity, as Parquet in the
/// Hive layout with catalog partitions (CTAS registers them), at `location`.
pub fn target(source: &TableProfile, name: &str, location: &str) -> TableProfile {
    let mut t = source.clone();
    t.name = name.to_string();
    t.location = Some(location.to_string());
    t.format = Format::Parquet;
    t.layout = Layout::Hive;
    t.layout_given = true;
    t.partitioning = Partitioning::Managed;
    t
}

/// One statement of the conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub sql: String,
    /// Partitions it writes.
    pub partitions: usize,
    /// The first and last day (or hour) it covers.
    pub first: DateTime,
    pub last: DateTime,
    /// A CTAS that creates the copy (else an INSERT INTO).
    pub creates: bool,
}

/// The statements that copy the days `from..=to`, leaving out the copy's `existing` partitions
/// (their values, as the catalog holds them). `exists` says whether the copy's table is there.
pub fn plan(
    source: &TableProfile,
    copy: &TableProfile,
    from: Date,
    to: Date,
    existing: &HashSet<Vec<String>>,
    exists: bool,
    compression: Compression,
) -> Result<Vec<Batch>, ConvertError> {
    if source.format == Format::Parquet {
        return Err(ConvertError::AlreadyParquet(source.name.clone()));
    }
    if source.partitioning == Partitioning::None {
        return Err(ConvertError::NotPartitioned(source.name.clone()));
    }
    if source.database == copy.database && source.name == copy.name {
        return Err(ConvertError::SameTable(copy.name.clone()));
    }
    if source.layout == Layout::Firehose {
        return Err(ConvertError::Firehose(source.name.clone()));
    }
    if let (Some(from), Some(to)) = (&source.location, &copy.location) {
        let (a, b) = (folder(from), folder(to));
        if a.starts_with(&b) || b.starts_with(&a) {
            return Err(ConvertError::Overlaps { copy: to.clone(), from: from.clone() });
        }
    }
    // The range, accounts and regions, checked as `partitions add` checks them.
    partitions::check_range(copy, from, to)?;
    let pairs = copy.account_regions();
    if pairs.len() > MAX_PARTITIONS_PER_QUERY {
        return Err(ConvertError::TooWide {
            unit: source.granularity.name(),
            accounts: copy.accounts.len(),
            regions: copy.regions.len(),
            n: pairs.len(),
        });
    }
    // What is missing, a day (or hour) at a time, in order.
    let mut units: Vec<(DateTime, Vec<(&str, &str)>)> = Vec::new();
    for at in partitions::units(source.granularity, from, to) {
        let mut missing = Vec::new();
        for (account, region) in &pairs {
            if !existing.contains(&partitions::partition_at(copy, account, region, at)?.values) {
                missing.push((account.as_str(), region.as_str()));
            }
        }
        if !missing.is_empty() {
            units.push((at, missing));
        }
    }
    let mut batches = Vec::new();
    let mut current: Vec<(DateTime, Vec<(&str, &str)>)> = Vec::new();
    let mut count = 0;
    let mut flush = |current: &mut Vec<(DateTime, Vec<(&str, &str)>)>, count: &mut usize| {
        if current.is_empty() {
            return;
        }
        let creates = !exists && batches.is_empty();
        batches.push(Batch {
            sql: statement(source, copy, current, creates, compression),
            partitions: *count,
            first: current[0].0,
            last: current[current.len() - 1].0,
            creates,
        });
        current.clear();
        *count = 0;
    };
    for (at, missing) in units {
        if count + missing.len() > MAX_PARTITIONS_PER_QUERY {
            flush(&mut current, &mut count);
        }
        count += missing.len();
        current.push((at, missing));
    }
    flush(&mut current, &mut count);
    Ok(batches)
}

/// The source's value for one of its partition columns, for an account, region and time.
fn source_value(c: &PartitionColumn, account: &str, region: &str, at: DateTime) -> String {
    match c.kind {
        PartitionKind::Account => account.to_string(),
        PartitionKind::Region => region.to_string(),
        PartitionKind::Service => SERVICE.into(),
        kind => kind.time_value(at).unwrap_or_default(),
    }
}

/// The expression giving the copy's partition column `target` from the source's columns.
fn copy_column(source: &[PartitionColumn], target: &PartitionColumn) -> String {
    let find = |kind: PartitionKind| source.iter().find(|c| c.kind == kind).map(|c| ident(&c.name));
    let slash = find(PartitionKind::DaySlash).or_else(|| find(PartitionKind::HourSlash));
    let part = |kind: PartitionKind, start: u8, len: u8| {
        find(kind).or_else(|| slash.as_ref().map(|s| format!("substr({s}, {start}, {len})")))
    };
    let expr = match target.kind {
        PartitionKind::Account => find(PartitionKind::Account),
        PartitionKind::Region => find(PartitionKind::Region),
        PartitionKind::Service => Some(literal(SERVICE)),
        PartitionKind::Year => part(PartitionKind::Year, 1, 4),
        PartitionKind::Month => part(PartitionKind::Month, 6, 2),
        PartitionKind::Day => part(PartitionKind::Day, 9, 2),
        PartitionKind::Hour => part(PartitionKind::Hour, 12, 2),
        PartitionKind::DaySlash | PartitionKind::HourSlash | PartitionKind::Ingest { .. } => None,
    };
    format!("{} AS {}", expr.unwrap_or_else(|| "NULL".into()), ident(&target.name))
}

fn statement(
    source: &TableProfile,
    copy: &TableProfile,
    units: &[(DateTime, Vec<(&str, &str)>)],
    creates: bool,
    compression: Compression,
) -> String {
    let source_cols = source.partition_columns();
    let copy_cols = copy.partition_columns();
    let mut select: Vec<String> = source.fields.fields().iter().map(|f| ident(&f.column())).collect();
    select.extend(copy_cols.iter().map(|c| copy_column(&source_cols, c)));
    let mut filters = Vec::new();
    for (at, pairs) in units {
        for (account, region) in pairs {
            let terms: Vec<String> = source_cols
                .iter()
                .map(|c| format!("{} = {}", ident(&c.name), literal(&source_value(c, account, region, *at))))
                .collect();
            filters.push(format!("({})", terms.join(" AND ")));
        }
    }
    let body = format!(
        "SELECT\n  {}\nFROM {}.{}\nWHERE {}",
        select.join(",\n  "),
        ident(&source.database),
        ident(&source.name),
        filters.join("\n   OR ")
    );
    let table = format!("{}.{}", ident(&copy.database), ident(&copy.name));
    if creates {
        let by: Vec<String> = copy_cols.iter().map(|c| literal(&c.name)).collect();
        format!(
            "CREATE TABLE {table}\nWITH (\n  format = 'PARQUET',\n  write_compression = '{}',\n  external_location = {},\n  partitioned_by = ARRAY[{}]\n) AS\n{body}",
            compression.sql(),
            literal(copy.location.as_deref().unwrap_or_default()),
            by.join(", ")
        )
    } else {
        format!("INSERT INTO {table}\n{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn source() -> TableProfile {
        let mut t = TableProfile::new_default();
        t.location = Some("s3://logs/AWSLogs/".into());
        t.accounts = vec!["111122223333".into(), "444455556666".into()];
        t.regions = vec!["us-east-1".into()];
        t
    }

    #[test]
    fn batches_stay_under_athenas_partition_limit_and_resume() {
        let src = source();
        let copy = target(&src, "vpc_flow_logs_parquet", "s3://logs/parquet/");
        // 60 days × 2 accounts = 120 partitions: a CTAS of 50 days (100) and an INSERT of 10 (20).
        let all = plan(
            &src,
            &copy,
            date(2026, 9, 1),
            date(2026, 10, 30),
            &HashSet::new(),
            false,
            Compression::Snappy,
        )
        .unwrap();
        let shape: Vec<(bool, usize)> = all.iter().map(|b| (b.creates, b.partitions)).collect();
        assert_eq!(shape, [(true, 100), (false, 20)]);
        assert_eq!(all[0].first.date(), date(2026, 9, 1));
        assert_eq!(all[1].first.date(), date(2026, 10, 21));
        assert!(all[0].sql.starts_with("CREATE TABLE \"default\".\"vpc_flow_logs_parquet\"\nWITH (\n  format = 'PARQUET',\n  write_compression = 'SNAPPY',\n  external_location = 's3://logs/parquet/',\n  partitioned_by = ARRAY['aws-account-id', 'aws-service', 'aws-region', 'year', 'month', 'day']\n) AS\nSELECT\n  \"version\","), "{}", all[0].sql);
        assert!(all[0].sql.contains("\"aws_account_id\" AS \"aws-account-id\",\n  'vpcflowlogs' AS \"aws-service\",\n  \"aws_region\" AS \"aws-region\",\n  substr(\"day\", 1, 4) AS \"year\",\n  substr(\"day\", 6, 2) AS \"month\",\n  substr(\"day\", 9, 2) AS \"day\"\nFROM \"default\".\"vpc_flow_logs\"\nWHERE (\"aws_account_id\" = '111122223333' AND \"aws_region\" = 'us-east-1' AND \"day\" = '2026/09/01')\n   OR ("), "{}", all[0].sql);
        assert!(all[1].sql.starts_with("INSERT INTO \"default\".\"vpc_flow_logs_parquet\"\nSELECT\n"));

        // Resuming: the first 50 days are there, and one account of day 51.
        let mut existing = HashSet::new();
        let mut day = date(2026, 9, 1);
        while day <= date(2026, 10, 20) {
            for a in &copy.accounts {
                existing.insert(
                    partitions::partition_at(&copy, a, "us-east-1", day.at(0, 0, 0, 0)).unwrap().values,
                );
            }
            day = day.tomorrow().unwrap();
        }
        existing.insert(
            partitions::partition_at(&copy, "111122223333", "us-east-1", date(2026, 10, 21).at(0, 0, 0, 0))
                .unwrap()
                .values,
        );
        let rest =
            plan(&src, &copy, date(2026, 9, 1), date(2026, 10, 30), &existing, true, Compression::Snappy)
                .unwrap();
        assert_eq!(rest.iter().map(|b| (b.creates, b.partitions)).collect::<Vec<_>>(), [(false, 19)]);
        assert!(
            !rest[0]
                .sql
                .contains("'111122223333' AND \"aws_region\" = 'us-east-1' AND \"day\" = '2026/10/21'")
        );
        assert!(
            rest[0]
                .sql
                .contains("'444455556666' AND \"aws_region\" = 'us-east-1' AND \"day\" = '2026/10/21'")
        );
        // Nothing left: nothing to run.
        let mut done = existing.clone();
        for b in ["111122223333", "444455556666"] {
            let mut day = date(2026, 10, 21);
            while day <= date(2026, 10, 30) {
                done.insert(
                    partitions::partition_at(&copy, b, "us-east-1", day.at(0, 0, 0, 0)).unwrap().values,
                );
                day = day.tomorrow().unwrap();
            }
        }
        assert!(
            plan(&src, &copy, date(2026, 9, 1), date(2026, 10, 30), &done, true, Compression::Snappy)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn hive_and_hourly_sources_and_refusals() {
        let mut src = source();
        (src.layout, src.granularity, src.partitioning) =
            (Layout::Hive, crate::table::Granularity::Hour, Partitioning::Managed);
        let copy = target(&src, "pq", "s3://logs/pq/");
        let b = plan(
            &src,
            &copy,
            date(2026, 11, 1),
            date(2026, 11, 1),
            &HashSet::new(),
            false,
            Compression::Gzip,
        )
        .unwrap();
        // 24 hours × 2 accounts = 48 partitions in one statement.
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].partitions, 48);
        assert!(b[0].sql.contains("'aws-region', 'year', 'month', 'day', 'hour']"), "{}", b[0].sql);
        assert!(b[0].sql.contains("\"aws-account-id\" AS \"aws-account-id\""), "{}", b[0].sql);
        assert!(b[0].sql.contains("\"hour\" AS \"hour\""), "{}", b[0].sql);
        assert!(
            b[0].sql
                .contains("\"year\" = '2026' AND \"month\" = '11' AND \"day\" = '01' AND \"hour\" = '07'"),
            "{}",
            b[0].sql
        );

        let mut pq = source();
        pq.format = Format::Parquet;
        let err = |t: &TableProfile, c: &TableProfile| {
            plan(t, c, date(2026, 11, 1), date(2026, 11, 2), &HashSet::new(), false, Compression::Snappy)
                .unwrap_err()
        };
        assert!(matches!(err(&pq, &copy), ConvertError::AlreadyParquet(_)));
        let mut none = source();
        none.partitioning = Partitioning::None;
        assert!(matches!(err(&none, &copy), ConvertError::NotPartitioned(_)));
        let s = source();
        assert!(matches!(err(&s, &target(&s, "vpc_flow_logs", "s3://x/y/")), ConvertError::SameTable(_)));
        let mut wide = source();
        wide.regions = (0..51).map(|i| format!("xx-east-{i}")).collect();
        assert!(matches!(err(&wide, &target(&wide, "w", "s3://x/w/")), ConvertError::TooWide { n: 102, .. }));
    }
}
