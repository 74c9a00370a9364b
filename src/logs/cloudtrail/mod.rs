//! AWS CloudTrail: objects under `AWSLogs/[<organization id>/]<account>/CloudTrail/<region>/
//! YYYY/MM/DD/`, each a gzip of one `{"Records": [...]}` document; the table as AWS documents it
//! now (Hive's JSON SerDe with `CloudTrailInputFormat`, which unwraps `Records`, and the current
//! column list with its structs, arrays and maps); partitions by account, region and delivery day
//! (projected or kept in the catalog); records kept by `eventtime`, ISO 8601 UTC text. It must not
//! know about commands, engines or output.

pub mod sample;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{DayPartition, Delivery, KindSample, LogKind, Partitioning, SampleReport};
use crate::sql::{hive_ident, ident, literal};

/// The folder AWS delivers CloudTrail in: `AWSLogs/<account>/CloudTrail/<region>/…` (digest
/// files sit beside it in `CloudTrail-Digest`, which a table must never read).
pub const SERVICE: &str = "CloudTrail";

/// The columns of AWS's current CloudTrail table, in its order, with Hive types. The
/// service-specific documents (`requestparameters`, `responseelements`, `additionaleventdata`,
/// `serviceeventdetails`) stay JSON text, read with `json_extract_scalar`.
pub const COLUMNS: &[(&str, &str)] = &[
    ("eventversion", "string"),
    (
        "useridentity",
        "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,\
         accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,\
         sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,\
         sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,\
         ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,\
         attributes:map<string,string>>>>",
    ),
    ("eventtime", "string"),
    ("eventsource", "string"),
    ("eventname", "string"),
    ("awsregion", "string"),
    ("sourceipaddress", "string"),
    ("useragent", "string"),
    ("errorcode", "string"),
    ("errormessage", "string"),
    ("requestparameters", "string"),
    ("responseelements", "string"),
    ("additionaleventdata", "string"),
    ("requestid", "string"),
    ("eventid", "string"),
    ("readonly", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", "string"),
    ("apiversion", "string"),
    ("recipientaccountid", "string"),
    ("serviceeventdetails", "string"),
    ("sharedeventid", "string"),
    ("vpcendpointid", "string"),
    ("vpcendpointaccountid", "string"),
    ("eventcategory", "string"),
    (
        "addendum",
        "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>",
    ),
    ("sessioncredentialfromconsole", "string"),
    ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
];

/// The partition columns, named as the flow-log table's are: the account, the region and the
/// delivery day (`YYYY/MM/DD`, as the folders spell it).
const PARTITIONS: [&str; 3] = ["aws_account_id", "aws_region", "day"];

#[derive(Debug)]
pub struct CloudTrail;

/// `2026-11-21T10:00:00Z`: how `eventtime` spells an instant, so that text order is time order.
fn iso(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The folder holding every account's logs: `AWSLogs/` or, for an organization trail,
/// `AWSLogs/<organization id>/`.
fn root(d: &Delivery) -> Result<String, String> {
    let location = d.location.as_deref().ok_or("the table needs `location` (s3://bucket/prefix/AWSLogs/)")?;
    Ok(match &d.organization {
        Some(org) => format!("{location}{org}/"),
        None => location.to_string(),
    })
}

impl LogKind for CloudTrail {
    fn name(&self) -> &'static str {
        "cloudtrail"
    }

    fn title(&self) -> &'static str {
        "AWS CloudTrail"
    }

    fn default_table(&self) -> &'static str {
        "cloudtrail_logs"
    }

    fn service_folder(&self) -> &'static str {
        SERVICE
    }

    fn record_predicate(&self, from: Timestamp, to: Timestamp) -> String {
        let t = ident("eventtime");
        format!("{t} >= {} AND {t} < {}", literal(&iso(from)), literal(&iso(to)))
    }

    fn record_since(&self, since: &str) -> String {
        format!("from_iso8601_timestamp({}) >= {since}", ident("eventtime"))
    }

    /// `…/<account>/CloudTrail/<region>/YYYY/MM/DD/`, partition values as the projection's.
    fn day_partition(
        &self,
        d: &Delivery,
        account: &str,
        region: &str,
        day: jiff::civil::Date,
    ) -> Result<DayPartition, String> {
        let folder = day.strftime("%Y/%m/%d").to_string();
        Ok(DayPartition {
            location: format!("{}{account}/{SERVICE}/{region}/{folder}/", root(d)?),
            values: vec![
                (PARTITIONS[0], account.to_string()),
                (PARTITIONS[1], region.to_string()),
                (PARTITIONS[2], folder),
            ],
        })
    }

    fn sample(&self, s: &KindSample) -> Result<SampleReport, String> {
        sample::generate(s)
    }

    fn ddl(&self, d: &Delivery) -> Result<String, String> {
        let root = root(d)?;
        let mut sql = format!(
            "CREATE EXTERNAL TABLE IF NOT EXISTS {}.{} (\n",
            hive_ident(&d.database),
            hive_ident(&d.name)
        );
        let columns: Vec<String> = COLUMNS.iter().map(|(n, t)| format!("  {} {t}", hive_ident(n))).collect();
        sql += &columns.join(",\n");
        sql += "\n)\n";
        let location = match d.partitioning {
            Partitioning::None => match d.accounts.as_slice() {
                // One account's folder: the logging bucket's root also holds digest files.
                [account] => format!("{root}{account}/{SERVICE}/"),
                _ => {
                    return Err(
                        "an unpartitioned CloudTrail table reads one account's folder: give exactly \
                                one account, or partition it"
                            .into(),
                    );
                }
            },
            _ => {
                let cols: Vec<String> =
                    PARTITIONS.iter().map(|p| format!("  {} string", hive_ident(p))).collect();
                sql += &format!("PARTITIONED BY (\n{}\n)\n", cols.join(",\n"));
                root.clone()
            }
        };
        sql += "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n\
                STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\n  \
                OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n";
        sql += &format!("LOCATION {}", literal(&location));
        if d.partitioning == Partitioning::Projection {
            if d.accounts.is_empty() || d.regions.is_empty() {
                return Err("partition projection needs the table's `accounts` and `regions`".into());
            }
            let start = d.projection_start.strftime("%Y/%m/%d").to_string();
            let props = [
                ("projection.enabled", "true".to_string()),
                ("projection.aws_account_id.type", "enum".into()),
                ("projection.aws_account_id.values", d.accounts.join(",")),
                ("projection.aws_region.type", "enum".into()),
                ("projection.aws_region.values", d.regions.join(",")),
                ("projection.day.type", "date".into()),
                ("projection.day.format", "yyyy/MM/dd".into()),
                ("projection.day.range", format!("{start},NOW")),
                ("projection.day.interval", "1".into()),
                ("projection.day.interval.unit", "DAYS".into()),
                (
                    "storage.location.template",
                    format!("{root}${{aws_account_id}}/{SERVICE}/${{aws_region}}/${{day}}/"),
                ),
            ];
            let props: Vec<String> =
                props.iter().map(|(k, v)| format!("  {} = {}", literal(k), literal(v))).collect();
            sql += &format!("\nTBLPROPERTIES (\n{}\n)", props.join(",\n"));
        }
        Ok(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery() -> Delivery {
        Delivery {
            name: "cloudtrail_logs".into(),
            database: "default".into(),
            location: Some("s3://trail-bucket/AWSLogs/".into()),
            organization: None,
            accounts: vec!["111122223333".into(), "444455556666".into()],
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            partitioning: Partitioning::Projection,
            projection_start: jiff::civil::date(2025, 1, 1),
        }
    }

    #[test]
    fn projection_covers_accounts_regions_and_days_below_the_trails_folder() {
        let sql = CloudTrail.ddl(&delivery()).unwrap();
        assert!(sql.contains("'projection.aws_account_id.values' = '111122223333,444455556666'"), "{sql}");
        assert!(sql.contains("'projection.day.range' = '2025/01/01,NOW'"), "{sql}");
        assert!(sql.contains(
            "'storage.location.template' = 's3://trail-bucket/AWSLogs/${aws_account_id}/CloudTrail/${aws_region}/${day}/'"
        ));
        assert!(sql.contains("INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'"));
        let mut org = delivery();
        org.organization = Some("o-a1b2c3d4e5".into());
        let sql = CloudTrail.ddl(&org).unwrap();
        assert!(
            sql.contains("'s3://trail-bucket/AWSLogs/o-a1b2c3d4e5/${aws_account_id}/CloudTrail/"),
            "{sql}"
        );
    }

    #[test]
    fn an_unpartitioned_table_reads_one_accounts_trail_never_the_digests() {
        let mut d = delivery();
        d.partitioning = Partitioning::None;
        assert!(CloudTrail.ddl(&d).unwrap_err().contains("exactly one account"));
        d.accounts.truncate(1);
        let sql = CloudTrail.ddl(&d).unwrap();
        assert!(sql.contains("LOCATION 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/'"), "{sql}");
        assert!(!sql.contains("PARTITIONED BY"));
    }

    #[test]
    fn records_are_kept_by_their_iso_event_time() {
        let from = Timestamp::from_second(1_795_046_400).unwrap();
        let to = Timestamp::from_second(1_795_132_800).unwrap();
        assert_eq!(
            CloudTrail.record_predicate(from, to),
            "\"eventtime\" >= '2026-11-19T00:00:00Z' AND \"eventtime\" < '2026-11-20T00:00:00Z'"
        );
    }
}
