//! Partition maintenance statements. `MSCK REPAIR TABLE` only for Hive-layout tables with
//! catalog partitions (it finds nothing in AWS's plain layout, after listing every object);
//! batched `ALTER TABLE … ADD IF NOT EXISTS PARTITION … LOCATION` for a date range, split so each
//! statement stays under Athena's query-length limit; and `DROP IF EXISTS PARTITION`.
//! It builds statements; running them belongs to the engines.

use jiff::civil::{Date, DateTime};

use crate::logs::flowlogs::SERVICE;
use crate::logs::{Delivery, LogKind};
use crate::sql::{hive_ident, literal};
use crate::table::{Layout, PartitionKind, Partitioning, TableError, TableProfile};

/// Athena's limit on the length of a query string, in bytes.
pub const ATHENA_MAX_QUERY_BYTES: usize = 262_144;

/// The longest date range one `partitions add|drop` accepts, in days.
pub const MAX_RANGE_DAYS: i64 = 3660;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartitionError {
    #[error(
        "MSCK REPAIR TABLE cannot find partitions in the plain AWS layout (AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD): it only recognises Hive-style key=value folders, and would list every object to find none"
    )]
    RepairNeedsHive,
    #[error(
        "table `{0}` uses partition projection: Athena computes its partitions, so there is nothing to add, drop or repair"
    )]
    Projected(String),
    #[error("table `{0}` is not partitioned")]
    NotPartitioned(String),
    #[error("--from {from} is after --to {to}")]
    BadRange { from: Date, to: Date },
    #[error("the range {from}..{to} is longer than {MAX_RANGE_DAYS} days")]
    RangeTooLong { from: Date, to: Date },
    #[error("one partition clause is longer than the {0}-byte statement limit")]
    ClauseTooLong(usize),
    #[error(transparent)]
    Table(#[from] TableError),
    #[error("{0}")]
    Kind(String),
}

impl PartitionError {
    pub fn hint(&self) -> Option<String> {
        match self {
            PartitionError::RepairNeedsHive => Some(
                "add the partitions for the days you need with `athq partitions add --from YYYY-MM-DD --to YYYY-MM-DD`, or switch the table to partitioning: projection".into(),
            ),
            PartitionError::Projected(_) => Some("query the table directly: projection covers every day in its range".into()),
            PartitionError::NotPartitioned(_) => Some("set table.partitioning to projection or managed in athq.yaml".into()),
            PartitionError::Table(e @ TableError::Missing(_)) => crate::table::missing_hint(e),
            _ => None,
        }
    }
}

fn qualified(table: &TableProfile) -> String {
    format!("{}.{}", hive_ident(&table.database), hive_ident(&table.name))
}

pub fn require_managed(table: &TableProfile) -> Result<(), PartitionError> {
    match table.partitioning {
        Partitioning::Managed => Ok(()),
        Partitioning::Projection => Err(PartitionError::Projected(table.name.clone())),
        Partitioning::None => Err(PartitionError::NotPartitioned(table.name.clone())),
    }
}

/// `MSCK REPAIR TABLE`, for Hive-layout tables with catalog partitions only.
pub fn repair(table: &TableProfile) -> Result<String, PartitionError> {
    require_managed(table)?;
    if table.layout != Layout::Hive {
        return Err(PartitionError::RepairNeedsHive);
    }
    Ok(format!("MSCK REPAIR TABLE {}", qualified(table)))
}

/// One partition: its `(col = 'value', …)` spec, its values in column order, and its S3 prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub spec: String,
    pub values: Vec<String>,
    pub location: String,
}

/// Checks a range of days for partition statements: a managed table with its paths set, `from`
/// not after `to`, at most [`MAX_RANGE_DAYS`].
pub fn check_range(table: &TableProfile, from: Date, to: Date) -> Result<(), PartitionError> {
    require_managed(table)?;
    table.require(true)?;
    check_days(from, to)
}

fn check_days(from: Date, to: Date) -> Result<(), PartitionError> {
    if from > to {
        return Err(PartitionError::BadRange { from, to });
    }
    let days = from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(i64::MAX);
    if days > MAX_RANGE_DAYS {
        return Err(PartitionError::RangeTooLong { from, to });
    }
    Ok(())
}

/// Every partition for the days `from..=to` (every unit of them: month, day or hour), for each
/// configured account and region.
pub fn partitions_in(table: &TableProfile, from: Date, to: Date) -> Result<Vec<Partition>, PartitionError> {
    check_range(table, from, to)?;
    let times = units(table.granularity, from, to);
    let mut out = Vec::new();
    for (account, region) in table.account_regions() {
        for at in &times {
            out.push(partition_at(table, &account, &region, *at)?);
        }
    }
    Ok(out)
}

/// The start of every unit (month, day or hour) that holds part of the days `from..=to`.
pub fn units(granularity: crate::table::Granularity, from: Date, to: Date) -> Vec<DateTime> {
    let mut out = Vec::new();
    let mut at = granularity.floor(from.at(0, 0, 0, 0));
    let end = to.at(23, 59, 59, 0);
    while at <= end {
        out.push(at);
        match granularity.next(at) {
            Some(next) => at = next,
            None => break,
        }
    }
    out
}

/// The partition holding one account's and region's files for a day (or hour).
pub fn partition_at(
    table: &TableProfile,
    account: &str,
    region: &str,
    at: DateTime,
) -> Result<Partition, PartitionError> {
    let cols = table.partition_columns();
    let values: Vec<String> = cols
        .iter()
        .map(|c| match c.kind {
            PartitionKind::Account => account.to_string(),
            PartitionKind::Region => region.to_string(),
            PartitionKind::Service => SERVICE.into(),
            kind => kind.time_value(at).unwrap_or_default(),
        })
        .collect();
    let spec: Vec<String> =
        cols.iter().zip(&values).map(|(c, v)| format!("{} = {}", hive_ident(&c.name), literal(v))).collect();
    Ok(Partition {
        spec: format!("({})", spec.join(", ")),
        values,
        location: table.partition_prefix(account, region, at)?,
    })
}

/// Joins `head` and clauses into statements of at most `max_bytes` each.
fn batch(
    head: &str,
    clauses: impl IntoIterator<Item = String>,
    sep: &str,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for clause in clauses {
        if head.len() + sep.len() + clause.len() > max_bytes {
            return Err(PartitionError::ClauseTooLong(max_bytes));
        }
        if !cur.is_empty() && cur.len() + sep.len() + clause.len() > max_bytes {
            out.push(std::mem::take(&mut cur));
        }
        if cur.is_empty() {
            cur.push_str(head);
            cur.push_str("\n  ");
        } else {
            cur.push_str(sep);
        }
        cur.push_str(&clause);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// `ALTER TABLE … ADD IF NOT EXISTS PARTITION (…) LOCATION '…' …`, as few statements as fit.
pub fn add(
    table: &TableProfile,
    from: Date,
    to: Date,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let parts = partitions_in(table, from, to)?;
    add_statements(&qualified(table), parts.into_iter().map(|p| (p.spec, p.location)), max_bytes)
}

/// The ADD statements for `(spec, location)` pairs of the table `qualified`.
fn add_statements(
    qualified: &str,
    parts: impl IntoIterator<Item = (String, String)>,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let head = format!("ALTER TABLE {qualified} ADD IF NOT EXISTS");
    let clauses =
        parts.into_iter().map(|(spec, location)| format!("PARTITION {spec} LOCATION {}", literal(&location)));
    batch(&head, clauses, "\n  ", max_bytes)
}

/// The DROP statements for partition specs of the table `qualified`.
fn drop_statements(
    qualified: &str,
    specs: impl IntoIterator<Item = String>,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let head = format!("ALTER TABLE {qualified} DROP IF EXISTS");
    batch(&head, specs.into_iter().map(|s| format!("PARTITION {s}")), ",\n  ", max_bytes)
}

/// Every day partition of another kind's table for `from..=to`, each account and region.
fn kind_partitions(
    kind: &dyn LogKind,
    d: &Delivery,
    from: Date,
    to: Date,
) -> Result<Vec<(String, String)>, PartitionError> {
    match d.partitioning {
        Partitioning::Projection => return Err(PartitionError::Projected(d.name.clone())),
        Partitioning::None => return Err(PartitionError::NotPartitioned(d.name.clone())),
        Partitioning::Managed => {}
    }
    check_days(from, to)?;
    let missing: Vec<&'static str> = [
        ("location", d.location.is_none()),
        ("accounts", d.accounts.is_empty()),
        ("regions", d.regions.is_empty()),
    ]
    .into_iter()
    .filter_map(|(what, empty)| empty.then_some(what))
    .collect();
    if !missing.is_empty() {
        return Err(TableError::Missing(missing).into());
    }
    let mut out = Vec::new();
    for account in &d.accounts {
        for region in &d.regions {
            for day in from.series(jiff::ToSpan::days(1)).take_while(|day| *day <= to) {
                let p = kind.day_partition(d, account, region, day).map_err(PartitionError::Kind)?;
                let spec: Vec<String> =
                    p.values.iter().map(|(c, v)| format!("{} = {}", hive_ident(c), literal(v))).collect();
                out.push((format!("({})", spec.join(", ")), p.location));
            }
        }
    }
    Ok(out)
}

fn qualified_delivery(d: &Delivery) -> String {
    format!("{}.{}", hive_ident(&d.database), hive_ident(&d.name))
}

/// ADD statements for another kind's table.
pub fn add_kind(
    kind: &dyn LogKind,
    d: &Delivery,
    from: Date,
    to: Date,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    add_statements(&qualified_delivery(d), kind_partitions(kind, d, from, to)?, max_bytes)
}

/// DROP statements for another kind's table.
pub fn drop_kind(
    kind: &dyn LogKind,
    d: &Delivery,
    from: Date,
    to: Date,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let specs = kind_partitions(kind, d, from, to)?.into_iter().map(|(s, _)| s);
    drop_statements(&qualified_delivery(d), specs, max_bytes)
}

/// `ALTER TABLE … DROP IF EXISTS PARTITION (…), PARTITION (…)`, as few statements as fit.
/// Dropping a partition removes it from the catalog only; the files stay in S3.
pub fn drop(
    table: &TableProfile,
    from: Date,
    to: Date,
    max_bytes: usize,
) -> Result<Vec<String>, PartitionError> {
    let parts = partitions_in(table, from, to)?;
    drop_statements(&qualified(table), parts.into_iter().map(|p| p.spec), max_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn managed(layout: Layout) -> TableProfile {
        let mut t = TableProfile::new_default();
        t.partitioning = Partitioning::Managed;
        t.layout = layout;
        t.location = Some("s3://b/AWSLogs/".into());
        t.accounts = vec!["111122223333".into()];
        t.regions = vec!["us-east-1".into()];
        t
    }

    #[test]
    fn repair_only_for_hive() {
        assert_eq!(repair(&managed(Layout::Hive)).unwrap(), "MSCK REPAIR TABLE `default`.`vpc_flow_logs`");
        assert_eq!(repair(&managed(Layout::Plain)), Err(PartitionError::RepairNeedsHive));
        let mut t = managed(Layout::Hive);
        t.partitioning = Partitioning::Projection;
        assert!(matches!(repair(&t), Err(PartitionError::Projected(_))));
    }

    #[test]
    fn add_for_plain_layout() {
        let stmts =
            add(&managed(Layout::Plain), date(2026, 11, 1), date(2026, 11, 2), ATHENA_MAX_QUERY_BYTES)
                .unwrap();
        assert_eq!(
            stmts,
            [
                "ALTER TABLE `default`.`vpc_flow_logs` ADD IF NOT EXISTS\n  PARTITION (`aws_account_id` = '111122223333', `aws_region` = 'us-east-1', `day` = '2026/11/01') LOCATION 's3://b/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/01/'\n  PARTITION (`aws_account_id` = '111122223333', `aws_region` = 'us-east-1', `day` = '2026/11/02') LOCATION 's3://b/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/02/'"
            ]
        );
    }

    #[test]
    fn long_ranges_split_under_the_limit_and_lose_nothing() {
        let mut t = managed(Layout::Hive);
        t.granularity = crate::table::Granularity::Hour;
        t.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        let (from, to) = (date(2025, 1, 1), date(2026, 12, 31));
        let stmts = add(&t, from, to, ATHENA_MAX_QUERY_BYTES).unwrap();
        assert!(stmts.len() > 1);
        assert!(stmts.iter().all(|s| s.len() <= ATHENA_MAX_QUERY_BYTES));
        let clauses: usize = stmts.iter().map(|s| s.matches("PARTITION (").count()).sum();
        assert_eq!(clauses, 730 * 24 * 2);
        assert_eq!(clauses, partitions_in(&t, from, to).unwrap().len());
        let drops = drop(&t, from, date(2025, 1, 1), 400).unwrap();
        assert!(drops.iter().all(
            |s| s.len() <= 400 && s.starts_with("ALTER TABLE `default`.`vpc_flow_logs` DROP IF EXISTS\n")
        ));
        assert_eq!(drops.iter().map(|s| s.matches("PARTITION (").count()).sum::<usize>(), 48);
    }

    #[test]
    fn bad_ranges() {
        let t = managed(Layout::Plain);
        assert!(matches!(
            add(&t, date(2026, 2, 1), date(2026, 1, 1), 1000),
            Err(PartitionError::BadRange { .. })
        ));
        assert!(matches!(
            add(&t, date(2000, 1, 1), date(2026, 1, 1), 1000),
            Err(PartitionError::RangeTooLong { .. })
        ));
        assert_eq!(add(&t, date(2026, 1, 1), date(2026, 1, 1), 50), Err(PartitionError::ClauseTooLong(50)));
    }
}
