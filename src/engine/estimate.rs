//! What an Athena query would scan, before it runs: the S3 objects under the partitions the window
//! selects, summed; for Parquet, only the column chunks of the columns the query reads, from each
//! object's footer (one ranged GET of its tail). The listing stays inside what the table reads:
//! below each account × region root (or the Firehose prefix), the coarsest time folders that
//! cover the window (whole months, then whole days, then hours at its edges); only a table that
//! does not name its accounts and regions is listed from its location, and the estimate says so
//! (`Listed::Location`). It is an upper bound: Athena reads no more than the objects of the
//! selected partitions (less when Parquet statistics skip row groups), and it starts no query.

#[cfg(feature = "aws")]
use futures::{StreamExt, TryStreamExt};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

#[cfg(feature = "aws")]
use crate::engine::EngineError;
#[cfg(feature = "aws")]
use crate::engine::local::files::{self, LogFile, Selection};
#[cfg(feature = "aws")]
use crate::engine::local::s3::{self, S3Store, split};
use crate::engine::{MIN_BILLED_BYTES, USD_PER_TIB};
use crate::render::TimeWindow;
#[cfg(feature = "aws")]
use crate::table::Format;
use crate::table::{Granularity, Layout, TableProfile};

/// What a statement would scan, as the scan limit sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cost {
    /// It reads no table's data (DDL, SHOW, metadata tables, `SELECT 1`).
    Free,
    /// It reads the configured table, at most this much.
    Reads(Estimate),
    /// It reads something athq cannot estimate (another table, or SQL it cannot parse): why.
    Unknown(String),
}

/// Where the objects counted were listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Below the table's account × region roots (or its Firehose prefix), by time folder.
    Partitions,
    /// The whole location, dated by the objects' paths: the table names no accounts and regions,
    /// so other accounts' and regions' objects in a shared bucket count too.
    Location,
}

impl Listed {
    pub fn name(self) -> &'static str {
        match self {
            Listed::Partitions => "partitions",
            Listed::Location => "location",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Bytes Athena would scan at most.
    pub bytes: u64,
    /// Objects it would read.
    pub objects: usize,
    /// Parquet: the columns counted (else every byte of each object counts).
    pub columns: Option<Vec<String>>,
    pub listed: Listed,
}

impl Estimate {
    /// `would scan at most 9.8 KiB (10000 bytes) in 4 object(s) · cost at most $0.0000 …`
    pub fn describe(&self) -> String {
        let columns = match &self.columns {
            Some(c) if c.is_empty() => " (footers only: the query reads no column)".to_string(),
            Some(c) => format!(" (the column chunks of {})", c.join(", ")),
            None => String::new(),
        };
        format!(
            "would scan at most {} ({} bytes) in {} object(s){columns} · cost at most ${:.4} at $5/TB, 10 MB minimum",
            crate::engine::human_bytes(self.bytes as i64),
            self.bytes,
            self.objects,
            self.cost_usd()
        )
    }

    /// At $5 per TiB, with the 10 MB minimum a query is billed.
    pub fn cost_usd(&self) -> f64 {
        (self.bytes as i64).max(MIN_BILLED_BYTES) as f64 / 1024f64.powi(4) * USD_PER_TIB
    }
}

/// The table's columns named in `sql` (as whole words, any case): the columns a statement can
/// read. Over-counting is safe for an upper bound; `SELECT *` reads them all.
pub fn columns_in(sql: &str, table: &TableProfile) -> Vec<String> {
    let words: std::collections::HashSet<String> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let all: Vec<String> = table.fields.fields().iter().map(|f| f.column()).collect();
    if sql.contains('*') && !sql.to_ascii_lowercase().contains("count(*)") {
        return all;
    }
    all.into_iter().filter(|c| words.contains(c)).collect()
}

/// The most folders listed one by one; past it (ad-hoc SQL, whose window is everything) each
/// account × region root is listed whole.
const MAX_FOLDERS: usize = 400;

/// The table's roots: one per account × region (two per pair in the Hive layout, for AWS's two
/// service keys), or the Firehose prefix; `None` when the table names no accounts and regions.
fn roots(table: &TableProfile) -> Option<Vec<String>> {
    let location = table.location.as_deref()?;
    if table.layout == Layout::Firehose {
        return Some(vec![location.to_string()]);
    }
    if table.accounts.is_empty() || table.regions.is_empty() {
        return None;
    }
    let mut roots = Vec::new();
    for a in &table.accounts {
        for r in &table.regions {
            roots.extend(table.layout.account_roots(location, a, r));
        }
    }
    Some(roots)
}

/// A month's, day's or hour's folders below a root.
fn folder(layout: Layout, at: DateTime, level: Granularity) -> String {
    match (layout, level) {
        (Layout::Hive, Granularity::Month) => at.strftime("year=%Y/month=%m/").to_string(),
        _ => layout.time_folders(at, level),
    }
}

/// The coarsest time folders that cover the units from `lo` to `hi` (inclusive): whole months,
/// then whole days (hourly tables), then the table's own units at the edges. `None` past
/// MAX_FOLDERS.
fn cover(layout: Layout, granularity: Granularity, lo: DateTime, hi: DateTime) -> Option<Vec<String>> {
    use jiff::Span;
    let unit = granularity.span();
    let floor = |d: DateTime| match granularity {
        Granularity::Month => d.date().first_of_month().to_datetime(jiff::civil::Time::midnight()),
        Granularity::Day => d.date().to_datetime(jiff::civil::Time::midnight()),
        Granularity::Hour => d.with().minute(0).second(0).subsec_nanosecond(0).build().unwrap_or(d),
    };
    let (mut at, last) = (floor(lo), floor(hi));
    // Whether the folder of `span` starting at `at` lies wholly inside the window.
    let whole = |at: DateTime, span: Span| {
        at.checked_add(span).ok().and_then(|end| end.checked_sub(unit).ok()).is_some_and(|end| end <= last)
    };
    let mut out = Vec::new();
    while at <= last {
        if out.len() >= MAX_FOLDERS {
            return None;
        }
        let midnight = at.time() == jiff::civil::Time::midnight();
        let (level, span) = if midnight && at.day() == 1 && whole(at, Span::new().months(1)) {
            (Granularity::Month, Span::new().months(1))
        } else if granularity == Granularity::Hour && midnight && whole(at, Span::new().days(1)) {
            (Granularity::Day, Span::new().days(1))
        } else {
            (granularity, unit)
        };
        out.push(folder(layout, at, level));
        at = at.checked_add(span).ok()?;
    }
    Some(out)
}

/// The folders (S3 prefixes) that can hold the window's objects: the cover below each root, or
/// the roots themselves for a window too long to cover; `None` when the table does not name its
/// accounts and regions (then the location is listed).
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
fn prefixes(table: &TableProfile, window: &TimeWindow) -> Option<(Vec<String>, bool)> {
    let roots = roots(table)?;
    let granularity = if table.layout == Layout::Firehose { Granularity::Hour } else { table.granularity };
    let (lo, hi) = window.delivery_span();
    let utc = |t: jiff::Timestamp| t.to_zoned(TimeZone::UTC).datetime();
    let Some(folders) = cover(table.layout, granularity, utc(lo), utc(hi)) else {
        return Some((roots, false));
    };
    let exact = roots.iter().flat_map(|root| folders.iter().map(move |f| format!("{root}{f}"))).collect();
    Some((exact, true))
}

/// Every object below the prefixes, eight listings at a time.
#[cfg(feature = "aws")]
async fn list_all(s3: &aws_sdk_s3::Client, prefixes: Vec<String>) -> Result<Vec<LogFile>, EngineError> {
    let lists: Vec<_> = prefixes.iter().map(|p| s3::list_objects(s3, p, true)).collect();
    let lists: Vec<Vec<LogFile>> = futures::stream::iter(lists).buffered(8).try_collect().await?;
    Ok(lists.into_iter().flatten().collect())
}

/// What Athena reads of one object: the chunks of `wanted`, or all of an object that is not
/// Parquet (a stray file is read whole by Athena's reader attempt).
#[cfg(feature = "aws")]
async fn column_bytes(store: &S3Store, o: &LogFile, wanted: &[String]) -> u64 {
    let url = o.path.to_string_lossy();
    let (_, key) = split(&url).unwrap_or_default();
    crate::engine::local::parquet::column_bytes(store, key, o.size, wanted).await.unwrap_or(o.size)
}

/// Lists the objects the window selects and sums what a query reading `columns` would scan.
#[cfg(feature = "aws")]
pub async fn estimate(
    s3: &aws_sdk_s3::Client,
    table: &TableProfile,
    window: &TimeWindow,
    columns: &[String],
) -> Result<Estimate, EngineError> {
    let location = table.location.as_deref().ok_or_else(|| {
        EngineError::Config("the table has no location (table.location in athq.yaml) to estimate from".into())
    })?;
    let (objects, listed) = match prefixes(table, window) {
        Some((prefixes, true)) => (list_all(s3, prefixes).await?, Listed::Partitions),
        // The roots, whole: dated by their paths.
        Some((roots, false)) => {
            let Selection { kept, .. } = files::select(list_all(s3, roots).await?, window, false);
            (kept, Listed::Partitions)
        }
        None => {
            let listed = s3::list_objects(s3, location, true).await?;
            let Selection { kept, .. } = files::select(listed, window, false);
            (kept, Listed::Location)
        }
    };
    if table.format != Format::Parquet {
        return Ok(Estimate {
            bytes: objects.iter().map(|o| o.size).sum(),
            objects: objects.len(),
            columns: None,
            listed,
        });
    }
    let wanted: Vec<String> = columns.to_vec();
    // One store for the table's bucket: every object listed is under its location.
    let (bucket, _) = split(location).unwrap_or((location, ""));
    let store = S3Store::new(s3.clone(), bucket);
    // The futures are made first: a stream of closures over borrowed objects is not `Send` for
    // every lifetime, which the engine's async trait needs.
    let reads: Vec<_> = objects.iter().map(|o| column_bytes(&store, o, &wanted)).collect();
    let sizes: Vec<u64> = futures::stream::iter(reads).buffered(16).collect().await;
    Ok(Estimate { bytes: sizes.iter().sum(), objects: objects.len(), columns: Some(wanted), listed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_named_in_sql() {
        let t = TableProfile::new_default();
        let cols =
            columns_in("SELECT srcaddr, SUM(bytes) FROM t WHERE \"start\" > 1 AND action = 'REJECT'", &t);
        for c in ["srcaddr", "bytes", "start", "action"] {
            assert!(cols.contains(&c.to_string()), "{c}: {cols:?}");
        }
        assert!(!cols.contains(&"dstaddr".to_string()), "{cols:?}");
        assert_eq!(columns_in("SELECT * FROM t", &t).len(), t.fields.fields().len());
        assert!(!columns_in("SELECT COUNT(*) FROM t", &t).contains(&"dstaddr".to_string()));
    }

    #[test]
    fn the_window_lists_one_folder_per_day_account_and_region() {
        let mut t = TableProfile::new_default();
        t.location = Some("s3://b/AWSLogs/".into());
        t.accounts = vec!["111122223333".into()];
        t.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        let w = TimeWindow {
            from: "2026-11-20T10:00:00Z".parse().unwrap(),
            to: "2026-11-21T10:00:00Z".parse().unwrap(),
        };
        let (p, exact) = prefixes(&t, &w).unwrap();
        assert!(exact);
        assert!(
            p.contains(&"s3://b/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"s3://b/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/21/".to_string()),
            "{p:?}"
        );
        assert!(p.iter().all(|x| !x.contains("/2026/11/18/")), "{p:?}");
        // Ad-hoc SQL's window is everything: each account × region root once, not 20,000
        // folders, and never the location.
        let (roots, exact) = prefixes(&t, &TimeWindow::everything(w.to)).unwrap();
        assert!(!exact);
        assert_eq!(
            roots,
            [
                "s3://b/AWSLogs/111122223333/vpcflowlogs/us-east-1/",
                "s3://b/AWSLogs/111122223333/vpcflowlogs/eu-west-1/"
            ]
        );
        t.accounts.clear();
        assert!(prefixes(&t, &w).is_none());
    }

    /// Every hour a cover's folders hold, from their names (`2026/11/`, `2026/11/20/`,
    /// `2026/11/20/10/`, or Hive's `year=2026/month=11/…`).
    fn hours_of(folders: &[String]) -> Vec<DateTime> {
        let mut out = Vec::new();
        for f in folders {
            let n: Vec<i16> = f
                .split('/')
                .filter(|p| !p.is_empty())
                .map(|p| p.rsplit('=').next().unwrap().parse().unwrap())
                .collect();
            let start = jiff::civil::datetime(
                n[0],
                n[1] as i8,
                n.get(2).copied().unwrap_or(1) as i8,
                n.get(3).copied().unwrap_or(0) as i8,
                0,
                0,
                0,
            );
            let span = match n.len() {
                2 => jiff::Span::new().months(1),
                3 => jiff::Span::new().days(1),
                _ => jiff::Span::new().hours(1),
            };
            let end = start.checked_add(span).unwrap();
            let mut at = start;
            while at < end {
                out.push(at);
                at = at.checked_add(jiff::Span::new().hours(1)).unwrap();
            }
        }
        out
    }

    #[test]
    fn a_cover_holds_every_hour_of_the_window_once_in_the_coarsest_folders() {
        let at = |s: &str| s.parse::<DateTime>().unwrap();
        for (lo, hi, most) in [
            ("2026-11-20T10:00", "2026-11-22T10:00", 1 + 14 + 11),
            ("2025-10-28T23:00", "2026-12-02T03:00", 400),
            ("2026-01-31T00:00", "2026-03-01T00:00", 3),
            ("2026-11-20T10:00", "2026-11-20T10:00", 1),
        ] {
            for layout in [Layout::Plain, Layout::Hive] {
                let folders = cover(layout, Granularity::Hour, at(lo), at(hi)).unwrap();
                assert!(folders.len() <= most, "{lo}..{hi}: {} folders: {folders:?}", folders.len());
                let mut hours = hours_of(&folders);
                hours.sort();
                let mut want = Vec::new();
                let mut h = at(lo);
                while h <= at(hi) {
                    want.push(h);
                    h = h.checked_add(jiff::Span::new().hours(1)).unwrap();
                }
                assert_eq!(hours, want, "{lo}..{hi} {layout:?}: {folders:?}");
            }
        }
        // 400 days of an hourly table: months in the middle, days and hours at the edges.
        let f =
            cover(Layout::Plain, Granularity::Hour, at("2025-10-28T23:00"), at("2026-12-02T03:00")).unwrap();
        assert!(f.contains(&"2026/01/".to_string()) && f.contains(&"2025/10/29/".to_string()), "{f:?}");
        assert!(
            f.contains(&"2025/10/28/23/".to_string()) && f.contains(&"2026/12/02/03/".to_string()),
            "{f:?}"
        );
        assert!(f.len() < 60, "{}", f.len());
        // A daily table's units are days.
        let d =
            cover(Layout::Plain, Granularity::Day, at("2026-10-30T05:00"), at("2026-12-01T00:00")).unwrap();
        assert_eq!(d, ["2026/10/30/", "2026/10/31/", "2026/11/", "2026/12/01/"]);
    }
}
