//! How flow-log files are laid out in S3, in one place: the folders of an account's and region's
//! logs, the time folders of a day or hour, the partition columns each layout gives a table and
//! their values, the `storage.location.template` of partition projection, how a time is read back
//! out of a file's folders or name, and how AWS names its files. DDL, partition statements, Glue,
//! `partitions missing`, the embedded engine's file pruning and `athq sample` all ask here.
//! It does no I/O.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::{PartitionColumn, PartitionKind, Partitioning};
use crate::logs::flowlogs::SERVICE;

/// How the files are laid out in S3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD[/HH]/`
    Plain,
    /// `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=…/month=…/day=…[/hour=…]/`
    Hive,
    /// Kinesis Data Firehose: `<prefix>/YYYY/MM/dd/HH/<stream>-<version>-YYYY-MM-dd-HH-mm-ss-<uuid>[.gz]`,
    /// records without a header line (CloudWatch Logs → Lambda → Firehose → S3)
    Firehose,
}

/// How much time one partition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A month (the Firehose layout only)
    Month,
    Day,
    Hour,
}

impl Granularity {
    /// The folders of one unit, as strftime: `%Y/%m`, `%Y/%m/%d`, `%Y/%m/%d/%H`.
    pub fn strftime(self) -> &'static str {
        match self {
            Granularity::Month => "%Y/%m",
            Granularity::Day => "%Y/%m/%d",
            Granularity::Hour => "%Y/%m/%d/%H",
        }
    }

    /// The same as a Joda pattern, for partition projection: `yyyy/MM/dd/HH`.
    pub fn joda(self) -> &'static str {
        match self {
            Granularity::Month => "yyyy/MM",
            Granularity::Day => "yyyy/MM/dd",
            Granularity::Hour => "yyyy/MM/dd/HH",
        }
    }

    /// Projection's `interval.unit`.
    pub fn unit(self) -> &'static str {
        match self {
            Granularity::Month => "MONTHS",
            Granularity::Day => "DAYS",
            Granularity::Hour => "HOURS",
        }
    }

    /// One unit's length.
    pub fn span(self) -> jiff::Span {
        match self {
            Granularity::Month => jiff::Span::new().months(1),
            Granularity::Day => jiff::Span::new().days(1),
            Granularity::Hour => jiff::Span::new().hours(1),
        }
    }

    /// `month`, `day`, `hour`.
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Month => "month",
            Granularity::Day => "day",
            Granularity::Hour => "hour",
        }
    }

    /// The start of the unit holding `at`.
    pub fn floor(self, at: DateTime) -> DateTime {
        match self {
            Granularity::Month => at.date().first_of_month().at(0, 0, 0, 0),
            Granularity::Day => at.date().at(0, 0, 0, 0),
            Granularity::Hour => at.date().at(at.hour(), 0, 0, 0),
        }
    }

    /// The start of the next unit.
    pub fn next(self, at: DateTime) -> Option<DateTime> {
        use jiff::ToSpan;
        at.checked_add(match self {
            Granularity::Month => 1.month(),
            Granularity::Day => 1.day(),
            Granularity::Hour => 1.hour(),
        })
        .ok()
    }
}

/// The service folder's key in Hive paths: AWS writes `aws-service=`; some of its documents show
/// `service=`. Both are read.
pub const SERVICE_KEYS: &[&str] = &["aws-service", "service"];

fn col(name: &str, kind: PartitionKind) -> PartitionColumn {
    PartitionColumn { name: name.to_string(), kind }
}

impl Layout {
    /// The partition columns of a table in this layout, in order. Hive tables with managed
    /// partitions use AWS's own hyphenated folder keys, because MSCK REPAIR TABLE matches column
    /// names to folder keys; projected tables use underscores and map them to folders in
    /// `storage.location.template`.
    /// Firehose tables have one time column, `column` [default `ingest_<unit>`], holding
    /// `2017-01-14-07` with catalog partitions (as AWS's article has it) and the folder path
    /// `2017/01/14/07` with projection (which maps values to folders only as they are).
    pub fn partition_columns(
        self,
        granularity: Granularity,
        partitioning: Partitioning,
        column: Option<&str>,
    ) -> Vec<PartitionColumn> {
        use PartitionKind::*;
        let hourly = granularity == Granularity::Hour;
        let mut cols = match (partitioning, self) {
            (Partitioning::None, _) => return Vec::new(),
            (_, Layout::Firehose) => {
                let name =
                    column.map(String::from).unwrap_or_else(|| format!("ingest_{}", granularity.name()));
                let slashes = partitioning == Partitioning::Projection;
                return vec![PartitionColumn { name, kind: Ingest { unit: granularity, slashes } }];
            }
            (_, Layout::Plain) => vec![col("aws_account_id", Account), col("aws_region", Region)],
            (Partitioning::Managed, Layout::Hive) => {
                vec![col("aws-account-id", Account), col("aws-service", Service), col("aws-region", Region)]
            }
            (Partitioning::Projection, Layout::Hive) => {
                vec![col("aws_account_id", Account), col("aws_region", Region)]
            }
        };
        match (self, hourly) {
            (Layout::Plain, false) => cols.push(col("day", DaySlash)),
            (Layout::Plain, true) => cols.push(col("hour", HourSlash)),
            (Layout::Hive | Layout::Firehose, hourly) => {
                cols.extend([col("year", Year), col("month", Month), col("day", Day)]);
                if hourly {
                    cols.push(col("hour", Hour));
                }
            }
        }
        cols
    }

    /// The folder of one account's and region's logs below `base` (which ends in `/`).
    /// Firehose folders name neither: its root is `base` itself.
    pub fn account_root(self, base: &str, account: &str, region: &str) -> String {
        match self {
            Layout::Firehose => base.to_string(),
            Layout::Plain => format!("{base}{account}/{SERVICE}/{region}/"),
            Layout::Hive => {
                format!("{base}aws-account-id={account}/aws-service={SERVICE}/aws-region={region}/")
            }
        }
    }

    /// The same, for every spelling AWS uses (Hive: `aws-service=` and `service=`).
    pub fn account_roots(self, base: &str, account: &str, region: &str) -> Vec<String> {
        match self {
            Layout::Plain | Layout::Firehose => vec![self.account_root(base, account, region)],
            Layout::Hive => SERVICE_KEYS
                .iter()
                .map(|k| format!("{base}aws-account-id={account}/{k}={SERVICE}/aws-region={region}/"))
                .collect(),
        }
    }

    /// The time folders of a unit below an account root: `2026/11/22[/10]/` (plain and Firehose,
    /// which may stop at the month) or `year=2026/month=11/day=22[/hour=10]/`.
    pub fn time_folders(self, at: DateTime, granularity: Granularity) -> String {
        let hourly = granularity == Granularity::Hour;
        match (self, hourly) {
            (Layout::Plain | Layout::Firehose, _) => format!("{}/", at.strftime(granularity.strftime())),
            (Layout::Hive, false) => at.strftime("year=%Y/month=%m/day=%d/").to_string(),
            (Layout::Hive, true) => at.strftime("year=%Y/month=%m/day=%d/hour=%H/").to_string(),
        }
    }

    /// Reads one time folder's name (`2026`, or `year=2026` in Hive) as a number of `digits`
    /// digits; `key` is `year`, `month`, `day` or `hour`.
    pub fn folder_number(self, name: &str, key: &str, digits: usize) -> Option<i16> {
        let value = match self {
            Layout::Plain | Layout::Firehose => name,
            Layout::Hive => name.strip_prefix(key)?.strip_prefix('=')?,
        };
        (value.len() == digits && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.parse().ok())?
    }

    /// Partition projection's `storage.location.template` below `base`, for the table's columns.
    pub fn location_template(self, base: &str, columns: &[PartitionColumn]) -> String {
        let root = self.account_root(base, "${aws_account_id}", "${aws_region}");
        let time: Vec<String> = columns
            .iter()
            .filter(|c| {
                !matches!(c.kind, PartitionKind::Account | PartitionKind::Region | PartitionKind::Service)
            })
            .map(|c| match self {
                Layout::Hive => format!("{0}=${{{0}}}", c.name),
                Layout::Plain | Layout::Firehose => format!("${{{}}}", c.name),
            })
            .collect();
        format!("{root}{}/", time.join("/"))
    }

    /// Where `athq sample` writes one account's, region's and unit's files, below `out`.
    pub fn sample_folder(
        self,
        out: &Path,
        account: &str,
        region: &str,
        at: Timestamp,
        granularity: Granularity,
    ) -> PathBuf {
        let at = at.to_zoned(TimeZone::UTC).datetime();
        let base = if self == Layout::Firehose { "" } else { "AWSLogs/" };
        let rel =
            format!("{}{}", self.account_root(base, account, region), self.time_folders(at, granularity));
        out.join(rel.trim_end_matches('/'))
    }
}

/// AWS's name for a flow-log file delivered at `at`:
/// `<account>_vpcflowlogs_<region>_<flow log id>_<YYYYMMDDTHHMMZ>_<hash>.<ext>`.
pub fn file_name(account: &str, region: &str, flow_log: &str, at: Timestamp, hash: u32, ext: &str) -> String {
    let t = at.to_zoned(TimeZone::UTC).strftime("%Y%m%dT%H%MZ").to_string();
    format!("{account}_{SERVICE}_{region}_{flow_log}_{t}_{hash:08x}.{ext}")
}

/// Firehose's name for an object it delivered at `at`:
/// `<stream>-1-YYYY-MM-dd-HH-mm-ss-<uuid>.gz`.
pub fn firehose_name(stream: &str, at: Timestamp, uuid: &str) -> String {
    let t = at.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d-%H-%M-%S").to_string();
    format!("{stream}-1-{t}-{uuid}.gz")
}

/// The `YYYY-MM-dd-HH-mm-ss` stamp of a Firehose object's name.
pub fn firehose_stamp(name: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = name.split('-').collect();
    let widths = [4, 2, 2, 2, 2, 2];
    (0..parts.len().saturating_sub(widths.len() - 1)).find_map(|i| {
        let run = &parts[i..i + widths.len()];
        let ok = run.iter().zip(widths).all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        let n = |k: usize| run[k].parse::<i16>().ok();
        let date = jiff::civil::Date::new(n(0)?, n(1)? as i8, n(2)? as i8).ok()?;
        let at = date.at(n(3)? as i8, n(4)? as i8, n(5)? as i8, 0);
        at.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    })
}

/// The time a log file covers: the delivery stamp in AWS's file name (`…_20261122T1005Z_…`), else
/// the day (or hour) of its folders (`…/2026/11/22[/10]/` or `…/year=2026/month=11/day=22[/hour=10]/`).
pub fn path_span(path: &Path) -> Option<(Timestamp, Timestamp)> {
    name_stamp(path).map(|t| (t, t)).or_else(|| folder_span(path))
}

/// The `YYYYMMDDTHHMMZ` part of an AWS flow-log file name, or a Firehose object's stamp.
fn name_stamp(path: &Path) -> Option<Timestamp> {
    let name = path.file_name()?.to_string_lossy();
    let aws = name.split('_').find_map(|part| {
        let b = part.as_bytes();
        let ok = b.len() == 14
            && b[8] == b'T'
            && b[13] == b'Z'
            && b[..8].iter().chain(&b[9..13]).all(u8::is_ascii_digit);
        if !ok {
            return None;
        }
        let n = |r: std::ops::Range<usize>| part[r].parse::<i16>().ok();
        let date = jiff::civil::Date::new(n(0..4)?, n(4..6)? as i8, n(6..8)? as i8).ok()?;
        let at = date.at(n(9..11)? as i8, n(11..13)? as i8, 0, 0);
        at.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
    });
    aws.or_else(|| firehose_stamp(&name))
}

/// The day or hour of a file's date folders, in either layout.
fn folder_span(path: &Path) -> Option<(Timestamp, Timestamp)> {
    let parts: Vec<String> =
        path.parent()?.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let num = |s: &str, key: &str, width: usize| -> Option<i16> {
        Layout::Hive.folder_number(s, key, width).or_else(|| Layout::Plain.folder_number(s, key, width))
    };
    for i in 0..parts.len() {
        let (Some(y), Some(m), Some(d)) = (
            num(&parts[i], "year", 4),
            parts.get(i + 1).and_then(|p| num(p, "month", 2)),
            parts.get(i + 2).and_then(|p| num(p, "day", 2)),
        ) else {
            continue;
        };
        let date = jiff::civil::Date::new(y, m as i8, d as i8).ok()?;
        let hour = parts.get(i + 3).and_then(|p| num(p, "hour", 2)).filter(|h| (0..24).contains(h));
        let start = date.at(hour.unwrap_or(0) as i8, 0, 0, 0).to_zoned(TimeZone::UTC).ok()?.timestamp();
        let len = if hour.is_some() {
            jiff::SignedDuration::from_hours(1)
        } else {
            jiff::SignedDuration::from_hours(24)
        };
        return Some((start, start.checked_add(len).ok()?));
    }
    None
}

/// The values a table's partition columns take for a file, read from its path the way Athena
/// reads its folders: account and region from `…/<account>/vpcflowlogs/<region>/…` or
/// `aws-account-id=…/…/aws-region=…` (else from AWS's file name), time from the date folders (else
/// the delivery stamp in the name). A value the path does not carry is NULL.
pub fn partition_values(path: &Path, cols: &[PartitionColumn]) -> Vec<Option<String>> {
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let keyed = |keys: &[&str]| {
        parts.iter().find_map(|p| {
            let (k, v) = p.split_once('=')?;
            keys.contains(&k).then(|| v.to_string())
        })
    };
    let plain = parts.iter().position(|p| p == SERVICE).filter(|&i| i > 0 && i + 1 < parts.len() - 1);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let from_name: Vec<&str> = name.split('_').collect();
    let named = (from_name.len() > 3 && from_name[1] == SERVICE).then_some(&from_name);
    let account = keyed(&["aws-account-id"])
        .or_else(|| plain.map(|i| parts[i - 1].clone()))
        .or_else(|| named.map(|n| n[0].to_string()));
    let region = keyed(&["aws-region"])
        .or_else(|| plain.map(|i| parts[i + 1].clone()))
        .or_else(|| named.map(|n| n[2].to_string()));
    let at = folder_span(path)
        .or_else(|| name_stamp(path).map(|t| (t, t)))
        .map(|(t, _)| t.to_zoned(TimeZone::UTC).datetime());
    cols.iter()
        .map(|c| match c.kind {
            PartitionKind::Account => account.clone(),
            PartitionKind::Region => region.clone(),
            PartitionKind::Service => Some(keyed(SERVICE_KEYS).unwrap_or_else(|| SERVICE.into())),
            _ => at.and_then(|t| c.kind.time_value(t)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TableProfile;

    #[test]
    fn dates_come_from_either_layout() {
        let day =
            |p: &str| path_span(Path::new(p)).map(|(s, e)| (s.to_string(), e.duration_since(s).as_hours()));
        assert_eq!(
            day("/x/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/22/a.log.gz"),
            Some(("2026-11-22T00:00:00Z".into(), 24))
        );
        assert_eq!(
            day(
                "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=r/year=2026/month=11/day=22/hour=07/a.parquet"
            ),
            Some(("2026-11-22T07:00:00Z".into(), 1))
        );
        assert_eq!(day("/tmp/flows.log"), None);
        assert_eq!(
            day("/x/2026/11/22/123456789012_vpcflowlogs_us-east-1_fl-0a1b_20261122T1005Z_0f3a9c1d.log.gz"),
            Some(("2026-11-22T10:05:00Z".into(), 0))
        );
        assert_eq!(day("/x/2026/13/01/a.log"), None);
    }

    #[test]
    fn partition_values_come_from_the_path_as_athena_reads_folders() {
        let t = |layout: Layout, hourly: bool, partitioning| {
            let g = if hourly { Granularity::Hour } else { Granularity::Day };
            layout.partition_columns(g, partitioning, None)
        };
        let plain = Path::new(
            "/x/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/22/111122223333_vpcflowlogs_eu-west-1_fl-1_20261122T1005Z_ab.log.gz",
        );
        let v = partition_values(plain, &t(Layout::Plain, false, Partitioning::Projection));
        assert_eq!(v, [Some("111122223333".into()), Some("eu-west-1".into()), Some("2026/11/22".into())]);
        for service in SERVICE_KEYS {
            let hive = format!(
                "AWSLogs/aws-account-id=111122223333/{service}=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=21/hour=07/a.log.gz"
            );
            let v = partition_values(Path::new(&hive), &t(Layout::Hive, true, Partitioning::Managed));
            let v: Vec<&str> = v.iter().map(|x| x.as_deref().unwrap_or("NULL")).collect();
            assert_eq!(v, ["111122223333", "vpcflowlogs", "us-east-1", "2026", "11", "21", "07"]);
        }
        // A file on its own: what AWS's name says, hourly from its delivery stamp.
        let flat = Path::new("/tmp/111122223333_vpcflowlogs_us-east-2_fl-1_20261122T1005Z_ab.log.gz");
        let v = partition_values(flat, &t(Layout::Plain, true, Partitioning::Projection));
        assert_eq!(v, [Some("111122223333".into()), Some("us-east-2".into()), Some("2026/11/22/10".into())]);
        assert_eq!(
            partition_values(Path::new("/tmp/x.log"), &t(Layout::Plain, false, Partitioning::Projection)),
            [None, None, None]
        );
    }

    #[test]
    fn what_is_written_reads_back() {
        // Every folder and name the layout writes dates back to the hour it was written for, and
        // gives the partition values that hour has.
        let at: Timestamp = "2026-11-22T10:05:00Z".parse().unwrap();
        for layout in [Layout::Plain, Layout::Hive] {
            for hourly in [false, true] {
                let g = if hourly { Granularity::Hour } else { Granularity::Day };
                let dir = layout.sample_folder(Path::new("/out"), "111122223333", "us-east-1", at, g);
                let file = dir.join("x.log.gz");
                let (start, end) = path_span(&file).unwrap();
                assert!(start <= at && at < end, "{}", file.display());
                let mut t = TableProfile::new_default();
                (t.layout, t.granularity, t.partitioning) = (layout, g, Partitioning::Managed);
                let values: Vec<String> =
                    partition_values(&file, &t.partition_columns()).into_iter().map(Option::unwrap).collect();
                t.location = Some("s3://b/AWSLogs/".into());
                let p2 = crate::table::partitions::partition_at(
                    &t,
                    "111122223333",
                    "us-east-1",
                    at.to_zoned(TimeZone::UTC).datetime(),
                )
                .unwrap();
                assert_eq!(values, p2.values, "{}", file.display());
                assert!(
                    p2.location
                        .ends_with(&format!("{}/", dir.strip_prefix("/out/AWSLogs").unwrap().display())),
                    "{} {}",
                    p2.location,
                    dir.display()
                );
            }
        }
        let name = file_name("111122223333", "us-east-1", "fl-1", at, 0xab, "log.gz");
        assert_eq!(name, "111122223333_vpcflowlogs_us-east-1_fl-1_20261122T1005Z_000000ab.log.gz");
        assert_eq!(path_span(Path::new(&name)), Some((at, at)));
        assert_eq!(Layout::Hive.folder_number("month=07", "month", 2), Some(7));
        assert_eq!(Layout::Hive.folder_number("07", "month", 2), None);
        assert_eq!(Layout::Plain.folder_number("2026", "year", 4), Some(2026));
        assert_eq!(Layout::Hive.account_roots("p/", "1", "r").len(), 2);
    }

    #[test]
    fn firehose_objects_are_dated_by_their_folders_and_names() {
        let at: Timestamp = "2017-01-14T07:12:31Z".parse().unwrap();
        let name = firehose_name("flowlogs-stream", at, "3f2d1c0b-aaaa-4bbb-8ccc-123456789012");
        assert_eq!(name, "flowlogs-stream-1-2017-01-14-07-12-31-3f2d1c0b-aaaa-4bbb-8ccc-123456789012.gz");
        assert_eq!(firehose_stamp(&name), Some(at));
        assert_eq!(firehose_stamp("flows-2017-01-14.gz"), None);
        let dir = Layout::Firehose.sample_folder(Path::new("/out/fh"), "", "", at, Granularity::Hour);
        assert_eq!(dir, Path::new("/out/fh/2017/01/14/07"));
        // The folders' hour, and the column's value in either form.
        let file = dir.join(&name);
        assert_eq!(path_span(&file).map(|(s, _)| s), Some(at));
        for (partitioning, value) in
            [(Partitioning::Managed, "2017-01-14-07"), (Partitioning::Projection, "2017/01/14/07")]
        {
            let cols = Layout::Firehose.partition_columns(Granularity::Hour, partitioning, None);
            assert_eq!(cols[0].name, "ingest_hour");
            assert_eq!(partition_values(&file, &cols), [Some(value.to_string())]);
        }
        let cols = Layout::Firehose.partition_columns(
            Granularity::Month,
            Partitioning::Managed,
            Some("ingestdatetime"),
        );
        assert_eq!(partition_values(&file, &cols), [Some("2017-01".to_string())]);
        let t = at.to_zoned(TimeZone::UTC).datetime();
        assert_eq!(Layout::Firehose.time_folders(t, Granularity::Month), "2017/01/");
        let proj = Layout::Firehose.partition_columns(Granularity::Day, Partitioning::Projection, None);
        assert_eq!(Layout::Firehose.location_template("s3://b/fh/", &proj), "s3://b/fh/${ingest_day}/");
    }
}
