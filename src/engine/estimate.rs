//! What an Athena query would scan, before it runs: the S3 objects under the partitions the window
//! selects (listed folder by folder when the table names its accounts and regions, else the whole
//! location, dated by their paths), summed; for Parquet, only the column chunks of the columns the
//! query reads, from each object's footer (two ranged GETs). It is an upper bound: Athena reads
//! no more than the objects of the selected partitions (less when Parquet statistics skip row
//! groups), and it starts no query.

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

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Bytes Athena would scan at most.
    pub bytes: u64,
    /// Objects it would read.
    pub objects: usize,
    /// Parquet: the columns counted (else every byte of each object counts).
    pub columns: Option<Vec<String>>,
}

impl Estimate {
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

/// The most time folders listed one by one per account and region.
const MAX_FOLDERS: usize = 400;

/// The folders (S3 prefixes) that can hold the window's objects, or `None` when the table does not
/// name its accounts and regions (then the whole location is listed).
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
fn prefixes(table: &TableProfile, window: &TimeWindow) -> Option<Vec<String>> {
    let location = table.location.as_deref()?;
    let roots: Vec<String> = if table.layout == Layout::Firehose {
        vec![location.to_string()]
    } else {
        if table.accounts.is_empty() || table.regions.is_empty() {
            return None;
        }
        let mut roots = Vec::new();
        for a in &table.accounts {
            for r in &table.regions {
                roots.extend(table.layout.account_roots(location, a, r));
            }
        }
        roots
    };
    let granularity = if table.layout == Layout::Firehose { Granularity::Hour } else { table.granularity };
    let (lo, hi) = window.delivery_span();
    let utc = |t: jiff::Timestamp| t.to_zoned(TimeZone::UTC).datetime();
    let floor = |d: DateTime| match granularity {
        Granularity::Month => d.date().first_of_month().to_datetime(jiff::civil::Time::midnight()),
        Granularity::Day => d.date().to_datetime(jiff::civil::Time::midnight()),
        Granularity::Hour => d.with().minute(0).second(0).subsec_nanosecond(0).build().unwrap_or(d),
    };
    let step = |d: DateTime| match granularity {
        Granularity::Month => d.checked_add(jiff::Span::new().months(1)),
        Granularity::Day => d.checked_add(jiff::Span::new().days(1)),
        Granularity::Hour => d.checked_add(jiff::Span::new().hours(1)),
    };
    // Folder by folder for a window of up to MAX_FOLDERS units; a longer one (ad-hoc SQL, whose
    // window is everything) lists the location once.
    let mut units = Vec::new();
    let (mut at, last) = (floor(utc(lo)), utc(hi));
    while at <= last {
        if units.len() >= MAX_FOLDERS {
            return None;
        }
        units.push(at);
        at = step(at).ok()?;
    }
    Some(
        roots
            .iter()
            .flat_map(|root| {
                units.iter().map(move |u| format!("{root}{}", table.layout.time_folders(*u, granularity)))
            })
            .collect(),
    )
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
    let objects: Vec<LogFile> = match prefixes(table, window) {
        Some(prefixes) => {
            let lists: Vec<Vec<LogFile>> =
                futures::stream::iter(prefixes.iter().map(|p| s3::list_objects(s3, p, true)))
                    .buffered(8)
                    .try_collect()
                    .await?;
            lists.into_iter().flatten().collect()
        }
        None => {
            let listed = s3::list_objects(s3, location, true).await?;
            let Selection { kept, .. } = files::select(listed, window, false);
            kept
        }
    };
    if table.format != Format::Parquet {
        return Ok(Estimate {
            bytes: objects.iter().map(|o| o.size).sum(),
            objects: objects.len(),
            columns: None,
        });
    }
    let wanted: Vec<String> = columns.to_vec();
    // One store for the table's bucket: every object listed is under its location.
    let (bucket, _) = split(location).unwrap_or((location, ""));
    let store = S3Store::new(s3.clone(), bucket);
    let sizes: Vec<u64> = futures::stream::iter(objects.iter().map(|o| {
        let (wanted, store) = (&wanted, &store);
        async move {
            let url = o.path.to_string_lossy();
            let (_, key) = split(&url).unwrap_or_default();
            // An object that is not Parquet (a stray file) is read whole by Athena's reader attempt.
            Ok::<u64, EngineError>(
                crate::engine::local::parquet::column_bytes(store, key, o.size, wanted)
                    .await
                    .unwrap_or(o.size),
            )
        }
    }))
    .buffered(16)
    .try_collect()
    .await?;
    Ok(Estimate { bytes: sizes.iter().sum(), objects: objects.len(), columns: Some(wanted) })
}

/// `5GB`, `500 MiB`, `1TB`, `1048576`: a size in bytes (decimal and binary units, any case).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split_at = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split_at);
    let n: f64 = number.parse().ok()?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024f64.powi(2),
        "gib" => 1024f64.powi(3),
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    let bytes = n * scale;
    (bytes.is_finite() && (0.0..1e19).contains(&bytes)).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5GB"), Some(5_000_000_000));
        assert_eq!(parse_size("1.5 GiB"), Some(1_610_612_736));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("10 furlongs"), None);
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size(""), None);
    }

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
        let p = prefixes(&t, &w).unwrap();
        assert!(
            p.contains(&"s3://b/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"s3://b/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/21/".to_string()),
            "{p:?}"
        );
        assert!(p.iter().all(|x| !x.contains("/2026/11/18/")), "{p:?}");
        // Ad-hoc SQL's window is everything: one listing of the location, not 20,000 folders.
        assert!(prefixes(&t, &TimeWindow::everything(w.to)).is_none());
        t.accounts.clear();
        assert!(prefixes(&t, &w).is_none());
    }
}
