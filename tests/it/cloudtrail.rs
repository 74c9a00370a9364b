//! CloudTrail, the second log kind: its table as AWS documents it, through the binary
//! (`table ddl --kind cloudtrail`, flags and `tables:` in athq.yaml), checked by sqlglot's Athena
//! dialect and against AWS's documented column list.

use serde_json::json;

use crate::run;
use crate::support::athq;

/// AWS's current CloudTrail table (Athena user guide, "Create a table for CloudTrail logs"), as
/// its DDL spells the columns: written out here independently of athq's own list.
const AWS_COLUMNS: &str = "eventVersion STRING;
userIdentity STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, invokedBy: STRING, accessKeyId: STRING, userName: STRING, onBehalfOf: STRUCT<userId: STRING, identityStoreArn: STRING>, sessionContext: STRUCT<attributes: STRUCT<mfaAuthenticated: STRING, creationDate: STRING>, sessionIssuer: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, userName: STRING>, ec2RoleDelivery: STRING, webIdFederationData: STRUCT<federatedProvider: STRING, attributes: MAP<STRING, STRING>>>>;
eventTime STRING;
eventSource STRING;
eventName STRING;
awsRegion STRING;
sourceIpAddress STRING;
userAgent STRING;
errorCode STRING;
errorMessage STRING;
requestParameters STRING;
responseElements STRING;
additionalEventData STRING;
requestId STRING;
eventId STRING;
readOnly STRING;
resources ARRAY<STRUCT<arn: STRING, accountId: STRING, type: STRING>>;
eventType STRING;
apiVersion STRING;
recipientAccountId STRING;
serviceEventDetails STRING;
sharedEventID STRING;
vpcEndpointId STRING;
vpcEndpointAccountId STRING;
eventCategory STRING;
addendum STRUCT<reason: STRING, updatedFields: STRING, originalRequestID: STRING, originalEventID: STRING>;
sessionCredentialFromConsole STRING;
edgeDeviceDetails STRING;
tlsDetails STRUCT<tlsVersion: STRING, cipherSuite: STRING, clientProvidedHostHeader: STRING>";

fn aws_columns() -> Vec<[String; 2]> {
    AWS_COLUMNS
        .split(";\n")
        .map(|l| {
            let (name, ty) = l.split_once(' ').unwrap();
            [name.to_string(), ty.to_string()]
        })
        .collect()
}

fn ddl(dir: &std::path::Path, args: &[&str]) -> String {
    let o = run(athq(dir).args(["table", "ddl", "--kind", "cloudtrail"]).args(args));
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

#[test]
fn cloudtrails_table_is_awss_and_parses_for_each_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bucket = ["--location", "s3://trail-bucket/AWSLogs/"];
    let two = ["--accounts", "111122223333,444455556666", "--regions", "us-east-1,eu-west-1"];
    let one = ["--accounts", "111122223333", "--regions", "us-east-1"];
    let cases = [
        ("projection", [&bucket[..], &two, &["--projection"]].concat()),
        ("projection-org", [&bucket[..], &two, &["--projection", "--organization", "o-a1b2c3d4e5"]].concat()),
        ("managed", [&bucket[..], &two, &["--partitioning", "managed"]].concat()),
        ("unpartitioned", [&bucket[..], &one, &["--partitioning", "none"]].concat()),
    ];
    let mut items = Vec::new();
    let mut sql = std::collections::BTreeMap::new();
    for (name, args) in &cases {
        let s = ddl(d, args);
        items.push(json!({"name": format!("cloudtrail-{name}"), "kind": "create", "sql": s, "column_types": aws_columns()}));
        sql.insert(*name, s);
    }
    assert_eq!(crate::sqlglot::check(&items), Vec::<serde_json::Value>::new());
    // The input format that unwraps `Records`, and where each delivery's objects are.
    for s in sql.values() {
        assert!(s.contains("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'"), "{s}");
        assert!(s.contains("INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'"), "{s}");
    }
    assert!(sql["projection"].contains("'projection.aws_account_id.values' = '111122223333,444455556666'"));
    assert!(sql["projection"].contains("'projection.aws_region.values' = 'us-east-1,eu-west-1'"));
    assert!(sql["projection"].contains(
        "'storage.location.template' = 's3://trail-bucket/AWSLogs/${aws_account_id}/CloudTrail/${aws_region}/${day}/'"
    ));
    assert!(sql["projection-org"].contains(
        "'storage.location.template' = 's3://trail-bucket/AWSLogs/o-a1b2c3d4e5/${aws_account_id}/CloudTrail/${aws_region}/${day}/'"
    ));
    assert!(sql["managed"].contains("PARTITIONED BY") && !sql["managed"].contains("projection."));
    // Without partitions, one account's trail folder: never the bucket root, which holds digests.
    assert!(sql["unpartitioned"].contains("LOCATION 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/'"));
}

#[test]
fn a_tables_entry_names_the_trail_and_the_flow_log_table_lends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("athq.yaml"),
        "table:\n  database: logs\n  location: s3://logging-bucket/AWSLogs/\n  accounts: ['111122223333']\n  regions: [us-east-1]\n  partitioning: projection\n\
         tables:\n  org_trail:\n    kind: cloudtrail\n    organization: o-a1b2c3d4e5\n    regions: [us-east-1, us-west-2]\n    projection_start: 2025-06-01\n",
    )
    .unwrap();
    let s = ddl(d, &[]);
    assert!(s.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `logs`.`org_trail` ("), "{s}");
    assert!(s.contains("'projection.aws_account_id.values' = '111122223333'"), "{s}");
    assert!(s.contains("'projection.aws_region.values' = 'us-east-1,us-west-2'"), "{s}");
    assert!(s.contains("'projection.day.range' = '2025/06/01,NOW'"), "{s}");
    assert!(s.contains("s3://logging-bucket/AWSLogs/o-a1b2c3d4e5/${aws_account_id}/CloudTrail/"), "{s}");
    // The flow-log table is untouched by it.
    let flow = run(athq(d).args(["table", "ddl"]));
    assert!(flow.stdout.contains("`logs`.`vpc_flow_logs`"), "{}", flow.stdout);

    // Mistakes are named with their file line, and flags that shape only flow logs are refused.
    for (yaml, says) in [
        (
            "tables:\n  t:\n    kind: cloudtrial\n",
            "athq.yaml:3: `cloudtrial` is not a log kind: use flowlogs, cloudtrail",
        ),
        (
            "tables:\n  t:\n    kind: cloudtrail\n    organization: x-1\n",
            "athq.yaml:4: `x-1` is not an organization id",
        ),
        ("tables:\n  t:\n    kind: flowlogs\n", "the flow-log table is `table:`"),
        ("tables:\n  t:\n    kind: cloudtrail\n    colour: blue\n", "unknown field `colour`"),
    ] {
        std::fs::write(d.join("athq.yaml"), yaml).unwrap();
        let o = run(athq(d).args(["table", "ddl", "--kind", "cloudtrail"]));
        assert_eq!(o.code, 2, "{yaml}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{yaml}: {}", o.stderr);
    }
    std::fs::remove_file(d.join("athq.yaml")).unwrap();
    for (args, says) in [
        (
            &["--format", "parquet"][..],
            "--format shapes the flow-log table; it does nothing for AWS CloudTrail",
        ),
        (&[], "the table needs `location`"),
        (
            &["--location", "s3://trail-bucket/AWSLogs/", "--projection"],
            "partition projection needs the table's `accounts` and `regions`",
        ),
        (&["--location", "s3://trail-bucket/AWSLogs/", "--partitioning", "none"], "give exactly one account"),
    ] {
        let o = run(athq(d).args(["table", "ddl", "--kind", "cloudtrail"]).args(args));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{args:?}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"));
    }
}

#[test]
fn catalog_partitions_point_at_each_days_trail_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shape = [
        "--partitioning",
        "managed",
        "--location",
        "s3://trail-bucket/AWSLogs/",
        "--accounts",
        "111122223333,444455556666",
        "--regions",
        "us-east-1,eu-west-1",
    ];
    let days = ["--from", "2026-11-20", "--to", "2026-11-22"];
    let print = |verb: &str, extra: &[&str]| {
        let o = run(athq(d)
            .args(["partitions", verb, "--kind", "cloudtrail", "--print"])
            .args(days)
            .args(shape)
            .args(extra));
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout.trim().trim_end_matches(';').to_string()
    };
    let add = print("add", &[]);
    assert!(
        add.contains(
            "PARTITION (`aws_account_id` = '444455556666', `aws_region` = 'eu-west-1', `day` = '2026/11/21') \
         LOCATION 's3://trail-bucket/AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/21/'"
        ),
        "{add}"
    );
    let org = print("add", &["--organization", "o-a1b2c3d4e5"]);
    assert!(
        org.contains(
            "LOCATION 's3://trail-bucket/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/20/'"
        ),
        "{org}"
    );
    let drop = print("drop", &[]);
    let items = vec![
        json!({"name": "cloudtrail-add", "kind": "alter_add", "sql": add, "partitions": 2 * 2 * 3}),
        json!({"name": "cloudtrail-add-org", "kind": "alter_add", "sql": org, "partitions": 2 * 2 * 3}),
        json!({"name": "cloudtrail-drop", "kind": "alter_drop", "sql": drop}),
    ];
    assert_eq!(crate::sqlglot::check(&items), Vec::<serde_json::Value>::new());
    // A projected table has no partitions to add; Glue's API is the flow-log table's path.
    let o = run(athq(d)
        .args(["partitions", "add", "--kind", "cloudtrail", "--projection"])
        .args(days)
        .args(&shape[2..]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("uses partition projection"), "{}", o.stderr);
    let o = run(athq(d)
        .args(["partitions", "add", "--kind", "cloudtrail", "--via", "glue"])
        .args(days)
        .args(shape));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--via glue is for the flow-log table"), "{}", o.stderr);
}

#[test]
fn a_cloudtrail_sample_is_delivered_as_aws_delivers_it_and_duckdb_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(athq(d).args([
        "sample",
        "--kind",
        "cloudtrail",
        "-o",
        "out",
        "--days",
        "1",
        "--records",
        "2000",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("wrote 2000 AWS CloudTrail records in 288 files"), "{}", o.stderr);
    // AWS's object names under AWS's folders, and hourly digests beside them.
    let mut logs = 0;
    let mut digests = 0;
    for e in crate::faults::files_under(&d.join("out")) {
        let rel = e.strip_prefix(d.join("out")).unwrap().to_string_lossy().to_string();
        let parts: Vec<&str> = rel.split('/').collect();
        assert_eq!(&parts[..2], ["AWSLogs", "123456789012"], "{rel}");
        let name = parts.last().unwrap();
        match parts[2] {
            "CloudTrail" => {
                logs += 1;
                let bits: Vec<&str> = name.trim_end_matches(".json.gz").split('_').collect();
                assert_eq!(&bits[..3], ["123456789012", "CloudTrail", "us-east-1"], "{rel}");
                assert_eq!((bits[3].len(), bits[4].len()), (14, 16), "{rel}");
                // The folder is the stamp's day.
                assert_eq!(parts[4..7].concat(), bits[3][..8], "{rel}");
            }
            "CloudTrail-Digest" => digests += 1,
            other => panic!("{other} in {rel}"),
        }
    }
    assert_eq!((logs, digests), (288, 24));
    // DuckDB reads the `{"Records": […]}` documents: every event, with its nested identity.
    let py = "import duckdb, sys\n\
              con = duckdb.connect()\n\
              rows = con.execute(\"SELECT r.userIdentity.type, count(*) FROM (SELECT unnest(Records) AS r FROM read_json(?, maximum_object_size=100000000)) GROUP BY 1 ORDER BY 1\", [sys.argv[1]]).fetchall()\n\
              print(';'.join(f'{t}={n}' for t, n in rows))";
    let glob = d.join("out/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz");
    let out =
        std::process::Command::new(crate::support::python()).args(["-c", py]).arg(&glob).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let counts = String::from_utf8(out.stdout).unwrap();
    let total: u64 =
        counts.trim().split(';').map(|kv| kv.split_once('=').unwrap().1.parse::<u64>().unwrap()).sum();
    assert_eq!(total, 2000, "{counts}");
    for kind in ["AWSService", "AssumedRole", "IAMUser"] {
        assert!(counts.contains(&format!("{kind}=")), "{counts}");
    }
    // An organization trail's folder, and flags that only shape flow-log samples.
    let o = run(athq(d).args([
        "sample",
        "--kind",
        "cloudtrail",
        "-o",
        "org",
        "--days",
        "1",
        "--records",
        "10",
        "--organization",
        "o-a1b2c3d4e5",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(d.join("org/AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/us-east-1").is_dir());
    let o = run(athq(d).args(["sample", "--kind", "cloudtrail", "-o", "x", "--format", "parquet"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--format shapes flow-log samples"), "{}", o.stderr);
}

#[test]
fn an_organization_without_a_kind_that_has_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["table", "ddl", "--kind", "flowlogs", "--organization", "o-a1b2c3d4e5"][..],
        &[
            "partitions",
            "add",
            "--kind",
            "flowlogs",
            "--organization",
            "o-a1b2c3d4e5",
            "--from",
            "2026-11-20",
            "--print",
        ],
        &["sample", "--kind", "flowlogs", "--organization", "o-a1b2c3d4e5", "-o", "x"],
    ] {
        let o = run(athq(dir.path()).args(args));
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains("--organization is for CloudTrail's organization trails"),
            "{args:?}: {}",
            o.stderr
        );
    }
}
