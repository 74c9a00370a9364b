//! Time windows: `--days N`, `--hours N` and `--from/--to` become a fixed [from, to) interval,
//! rounded down to the minute so that re-running a query within a minute renders byte-identical
//! SQL (and Athena's result reuse can hit). From it come literal predicates on the table's
//! partition columns (so Athena reads only the folders in the window) and on `start`/`end`.
//! It owns time arithmetic; it does not parse flags or know queries.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::logs::LogKind;
use crate::sql::{ident, literal};
use crate::table::{PartitionKind, TableProfile};

/// Flow-log files land in the folder of their delivery time, a little after the records in them
/// end: the partition range starts this much before the window and ends this much after it.
pub const DELIVERY_SLACK_BEFORE: SignedDuration = SignedDuration::from_mins(10);
pub const DELIVERY_SLACK_AFTER: SignedDuration = SignedDuration::from_hours(1);

/// The largest window athq renders: ten years.
pub const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(24 * 3660);

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowSpec {
    /// The last N minutes/hours/days, ending now.
    Last(SignedDuration),
    /// An explicit range; `to` defaults to now.
    Range { from: Timestamp, to: Option<Timestamp> },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WindowError {
    #[error("`{0}` is not a time: use 2026-11-20, 2026-11-20T10:30, 2026-11-20T10:30:00Z or epoch seconds")]
    BadTime(String),
    #[error("`{text}`: {why}")]
    BadZone { text: String, why: String },
    #[error("the window is empty: --from {from} is not before --to {to}")]
    Empty { from: Timestamp, to: Timestamp },
    #[error("the window is longer than ten years")]
    TooLong,
    #[error("{0} is before 1970-01-01T00:00:00Z: flow-log times are seconds since then")]
    OutOfRange(Timestamp),
}

/// A resolved window: `from` inclusive, `to` exclusive, both on a whole minute (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub from: Timestamp,
    pub to: Timestamp,
}

/// Parses a user's time: RFC 3339, a civil date or date-time (taken as UTC), epoch seconds, or a
/// time in a named zone (`2026-11-20T10:30[America/New_York]`, RFC 9557), whose offset, if
/// given, must agree with the zone.
pub fn parse_time(text: &str) -> Result<Timestamp, WindowError> {
    let t = text.trim();
    let bad = || WindowError::BadTime(text.to_string());
    if t.contains('[') {
        return t.parse::<jiff::Zoned>().map(|z| z.timestamp()).map_err(|e| WindowError::BadZone {
            text: text.to_string(),
            why: format!("{e}").replace("failed to parse ", "").replace("datetime string", "time"),
        });
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = t.parse().map_err(|_| bad())?;
        return Timestamp::from_second(secs).map_err(|_| bad());
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil =
        t.parse::<DateTime>().or_else(|_| t.parse::<Date>().map(|d| d.at(0, 0, 0, 0))).map_err(|_| bad())?;
    civil.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).map_err(|_| bad())
}

/// A window's bounds lie after 1970: flow-log times are seconds since then (and the minute below
/// the earliest time there is would not be a time).
fn in_range(ts: Timestamp) -> Result<Timestamp, WindowError> {
    if ts < Timestamp::UNIX_EPOCH { Err(WindowError::OutOfRange(ts)) } else { Ok(ts) }
}

fn floor_minute(ts: Timestamp) -> Result<Timestamp, WindowError> {
    let ts = in_range(ts)?;
    Timestamp::from_second(ts.as_second().div_euclid(60) * 60).map_err(|_| WindowError::OutOfRange(ts))
}

fn utc(ts: Timestamp) -> DateTime {
    ts.to_zoned(TimeZone::UTC).datetime()
}

impl TimeWindow {
    /// Every record up to `now`: for reading a source whatever its dates.
    pub fn everything(now: Timestamp) -> TimeWindow {
        TimeWindow { from: Timestamp::UNIX_EPOCH, to: now }
    }

    pub fn resolve(spec: &WindowSpec, now: Timestamp) -> Result<TimeWindow, WindowError> {
        let (from, to) = match spec {
            WindowSpec::Last(d) => {
                if *d > MAX_WINDOW {
                    return Err(WindowError::TooLong);
                }
                let to = floor_minute(now)?;
                let from = to.checked_sub(*d).map_err(|_| WindowError::TooLong)?;
                (in_range(from)?, to)
            }
            WindowSpec::Range { from, to } => (floor_minute(*from)?, floor_minute(to.unwrap_or(now))?),
        };
        if from >= to {
            return Err(WindowError::Empty { from, to });
        }
        if to.duration_since(from) > MAX_WINDOW {
            return Err(WindowError::TooLong);
        }
        Ok(TimeWindow { from, to })
    }

    /// Records of `kind` in the window, on its own time columns.
    pub fn record_predicate(&self, kind: &dyn LogKind) -> String {
        kind.record_predicate(self.from, self.to)
    }

    /// The first and last instant whose folders can hold records of this window.
    pub fn delivery_span(&self) -> (Timestamp, Timestamp) {
        let lo = self.from.checked_sub(DELIVERY_SLACK_BEFORE).unwrap_or(self.from);
        // `to` is exclusive: the last folder is the one holding the last minute, plus the slack.
        let last = self.to.checked_sub(SignedDuration::from_secs(1)).unwrap_or(self.to);
        (lo, last.checked_add(DELIVERY_SLACK_AFTER).unwrap_or(last))
    }

    /// The hours (or days) whose folders can hold records of this window.
    fn partition_span(&self) -> (DateTime, DateTime) {
        let (lo, hi) = self.delivery_span();
        (utc(lo), utc(hi))
    }

    /// A predicate on the table's time partition columns, or `None` for an unpartitioned table.
    pub fn partition_predicate(&self, table: &TableProfile) -> Option<String> {
        let cols = table.time_partition_columns();
        let (lo, hi) = self.partition_span();
        let first = cols.first()?;
        match first.kind {
            PartitionKind::DaySlash | PartitionKind::HourSlash | PartitionKind::Ingest { .. } => {
                Some(format!(
                    "{} BETWEEN {} AND {}",
                    ident(&first.name),
                    literal(&first.kind.time_value(lo)?),
                    literal(&first.kind.time_value(hi)?)
                ))
            }
            _ => Some(hive_predicate(lo, hi, table.hourly())),
        }
    }
}

/// Predicates for a window that ends whenever the query runs (for saved queries, whose SQL must not
/// change from one sync to the next): Athena evaluates `current_timestamp` once, when it plans the
/// query, so partitions are still pruned.
pub fn relative_predicate(last: SignedDuration, table: &TableProfile) -> String {
    let secs = last.as_secs();
    let ago = |extra: i64| format!("current_timestamp - INTERVAL '{}' SECOND", secs + extra);
    let slack = DELIVERY_SLACK_BEFORE.as_secs();
    let record = table.kind().record_since(&ago(0));
    let cols = table.time_partition_columns();
    let partition = match cols.first().map(|c| c.kind) {
        None => None,
        Some(PartitionKind::Ingest { unit, slashes }) => {
            let format =
                if slashes { unit.strftime().to_string() } else { unit.strftime().replace('/', "-") };
            Some(format!("{} >= date_format({}, '{format}')", ident(&cols[0].name), ago(slack)))
        }
        Some(PartitionKind::DaySlash) => {
            Some(format!("{} >= date_format({}, '%Y/%m/%d')", ident("day"), ago(slack)))
        }
        Some(PartitionKind::HourSlash) => {
            Some(format!("{} >= date_format({}, '%Y/%m/%d/%H')", ident("hour"), ago(slack)))
        }
        Some(_) if table.hourly() => Some(format!(
            "concat({}, {}, {}, {}) >= date_format({}, '%Y%m%d%H')",
            ident("year"),
            ident("month"),
            ident("day"),
            ident("hour"),
            ago(slack)
        )),
        Some(_) => Some(format!(
            "concat({}, {}, {}) >= date_format({}, '%Y%m%d')",
            ident("year"),
            ident("month"),
            ident("day"),
            ago(slack)
        )),
    };
    partition.into_iter().chain([record]).collect::<Vec<_>>().join("\n  AND ")
}

/// One day of a Hive-layout window: either whole, or only some hours.
struct DaySlice {
    date: Date,
    hours: Option<(i8, i8)>,
}

/// `("year" = '2026' AND "month" = '11' AND "day" BETWEEN '19' AND '22') OR …`: exact, and made of
/// simple comparisons on single columns so that both catalog partitions and projection prune.
fn hive_predicate(lo: DateTime, hi: DateTime, hourly: bool) -> String {
    let mut slices: Vec<DaySlice> = Vec::new();
    let mut day = lo.date();
    while day <= hi.date() {
        let first = if day == lo.date() { lo.hour() } else { 0 };
        let last = if day == hi.date() { hi.hour() } else { 23 };
        let hours = (hourly && (first, last) != (0, 23)).then_some((first, last));
        slices.push(DaySlice { date: day, hours });
        day = day.checked_add(1.day()).expect("dates within ten years stay valid");
    }

    let (y, m, d, h) = (ident("year"), ident("month"), ident("day"), ident("hour"));
    let mut terms = Vec::new();
    let mut i = 0;
    while i < slices.len() {
        let s = &slices[i];
        let ym = format!(
            "{y} = {} AND {m} = {}",
            literal(&s.date.strftime("%Y").to_string()),
            literal(&s.date.strftime("%m").to_string())
        );
        if let Some((h1, h2)) = s.hours {
            let hours = if h1 == h2 {
                format!("{h} = {}", literal(&format!("{h1:02}")))
            } else {
                format!("{h} BETWEEN {} AND {}", literal(&format!("{h1:02}")), literal(&format!("{h2:02}")))
            };
            terms.push(format!("({ym} AND {d} = {} AND {hours})", literal(&format!("{:02}", s.date.day()))));
            i += 1;
            continue;
        }
        // A run of whole days in the same month.
        let mut j = i;
        while j + 1 < slices.len()
            && slices[j + 1].hours.is_none()
            && slices[j + 1].date.year() == s.date.year()
            && slices[j + 1].date.month() == s.date.month()
        {
            j += 1;
        }
        let (d1, d2) = (s.date.day(), slices[j].date.day());
        let days = if d1 == d2 {
            format!("{d} = {}", literal(&format!("{d1:02}")))
        } else {
            format!("{d} BETWEEN {} AND {}", literal(&format!("{d1:02}")), literal(&format!("{d2:02}")))
        };
        terms.push(format!("({ym} AND {days})"));
        i = j + 1;
    }
    if terms.len() == 1 { terms.remove(0) } else { format!("({})", terms.join("\n    OR ")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Layout, Partitioning};

    fn ts(s: &str) -> Timestamp {
        parse_time(s).unwrap()
    }

    fn window(from: &str, to: &str) -> TimeWindow {
        TimeWindow::resolve(&WindowSpec::Range { from: ts(from), to: Some(ts(to)) }, ts(to)).unwrap()
    }

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(ts("2026-11-20").as_second(), 1_795_132_800);
        assert_eq!(ts("2026-11-20T10:30"), ts("2026-11-20T10:30:00Z"));
        assert_eq!(ts("2026-11-20T12:30:00+02:00"), ts("2026-11-20T10:30:00Z"));
        assert_eq!(ts("1795132800"), ts("2026-11-20"));
        assert!(parse_time("yesterday").is_err());
        // A named zone is honoured, and an offset that contradicts it is refused.
        assert_eq!(ts("2026-11-20T10:30[America/New_York]"), ts("2026-11-20T15:30:00Z"));
        assert_eq!(ts("2026-07-20T10:30-04:00[America/New_York]"), ts("2026-07-20T14:30:00Z"));
        assert!(matches!(
            parse_time("2026-11-20T10:30+00:00[America/New_York]"),
            Err(WindowError::BadZone { .. })
        ));
        assert!(matches!(parse_time("2026-11-20T10:30[Mars/Olympus]"), Err(WindowError::BadZone { .. })));
    }

    #[test]
    fn last_days_round_down_to_the_minute() {
        let now = ts("2026-11-22T10:26:29.5Z");
        let w = TimeWindow::resolve(&WindowSpec::Last(SignedDuration::from_hours(72)), now).unwrap();
        assert_eq!(w.to, ts("2026-11-22T10:26:00Z"));
        assert_eq!(w.from, ts("2026-11-19T10:26:00Z"));
        let again = TimeWindow::resolve(
            &WindowSpec::Last(SignedDuration::from_hours(72)),
            ts("2026-11-22T10:26:59Z"),
        );
        assert_eq!(again.unwrap(), w);
    }

    #[test]
    fn empty_and_huge_windows_are_errors() {
        let now = ts("2026-11-22");
        let spec = WindowSpec::Range { from: ts("2026-11-23"), to: None };
        assert!(matches!(TimeWindow::resolve(&spec, now), Err(WindowError::Empty { .. })));
        let huge = WindowSpec::Last(SignedDuration::from_hours(24 * 4000));
        assert_eq!(TimeWindow::resolve(&huge, now), Err(WindowError::TooLong));
    }

    #[test]
    fn plain_daily_and_hourly_predicates() {
        let mut t = TableProfile::new_default();
        let w = window("2026-11-19T10:26", "2026-11-22T10:26");
        assert_eq!(w.partition_predicate(&t).unwrap(), "\"day\" BETWEEN '2026/11/19' AND '2026/11/22'");
        t.granularity = crate::table::Granularity::Hour;
        assert_eq!(
            w.partition_predicate(&t).unwrap(),
            "\"hour\" BETWEEN '2026/11/19/10' AND '2026/11/22/11'"
        );
        t.partitioning = Partitioning::None;
        assert_eq!(w.partition_predicate(&t), None);
    }

    #[test]
    fn midnight_to_midnight_includes_the_slack_day_only_for_delivery() {
        let t = TableProfile::new_default();
        let w = window("2026-11-19", "2026-11-20");
        assert_eq!(w.partition_predicate(&t).unwrap(), "\"day\" BETWEEN '2026/11/18' AND '2026/11/20'");
    }

    #[test]
    fn hive_predicates_group_by_month_and_cut_edge_hours() {
        let mut t = TableProfile::new_default();
        t.layout = Layout::Hive;
        let w = window("2026-10-30T12:00", "2026-11-02T12:00");
        assert_eq!(
            w.partition_predicate(&t).unwrap(),
            "((\"year\" = '2026' AND \"month\" = '10' AND \"day\" BETWEEN '30' AND '31')\n    OR (\"year\" = '2026' AND \"month\" = '11' AND \"day\" BETWEEN '01' AND '02'))"
        );
        t.granularity = crate::table::Granularity::Hour;
        assert_eq!(
            w.partition_predicate(&t).unwrap(),
            "((\"year\" = '2026' AND \"month\" = '10' AND \"day\" = '30' AND \"hour\" BETWEEN '11' AND '23')\n    OR (\"year\" = '2026' AND \"month\" = '10' AND \"day\" = '31')\n    OR (\"year\" = '2026' AND \"month\" = '11' AND \"day\" = '01')\n    OR (\"year\" = '2026' AND \"month\" = '11' AND \"day\" = '02' AND \"hour\" BETWEEN '00' AND '12'))"
        );
    }

    #[test]
    fn relative_windows_do_not_change_with_the_clock() {
        let mut t = TableProfile::new_default();
        assert_eq!(
            relative_predicate(SignedDuration::from_hours(24), &t),
            "\"day\" >= date_format(current_timestamp - INTERVAL '87000' SECOND, '%Y/%m/%d')\n  AND \"end\" >= to_unixtime(current_timestamp - INTERVAL '86400' SECOND)"
        );
        t.layout = Layout::Hive;
        t.granularity = crate::table::Granularity::Hour;
        assert!(relative_predicate(SignedDuration::from_hours(1), &t).starts_with("concat(\"year\", \"month\", \"day\", \"hour\") >= date_format(current_timestamp - INTERVAL '4200' SECOND, '%Y%m%d%H')"));
    }

    #[test]
    fn record_predicate_uses_epochs() {
        let w = window("2026-11-19", "2026-11-20");
        assert_eq!(
            w.record_predicate(crate::logs::flow_logs()),
            "\"end\" >= 1795046400 AND \"start\" < 1795132800"
        );
    }
}
