//! `athq sample --kind cloudtrail`: CloudTrail delivery as AWS writes it. Every five minutes one
//! object `AWSLogs/[<org>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_
//! <YYYYMMDDTHHmmZ>_<16 chars>.json.gz`, a gzip of one `{"Records": [...]}` document whose events
//! happened up to fifteen minutes before the stamp; each hour a digest beside it under
//! `CloudTrail-Digest/`, which a reader must skip. Events: S3 data events by an IAM user, EC2 and
//! IAM management calls by an assumed role (with MFA attributes), console logins (some failed),
//! calls AWS services make, and access-denied errors.

use std::io::Write as _;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::SERVICE;
use crate::logs::rng::Rng;
use crate::logs::{KindSample, SampleReport};

const OBJECT_SECONDS: i64 = 300;

fn iso(t: i64) -> String {
    Timestamp::from_second(t)
        .expect("in range")
        .to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn hex(r: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from_digit(r.below(16) as u32, 16).expect("a hex digit")).collect()
}

fn uuid(r: &mut Rng) -> String {
    format!("{}-{}-{}-{}-{}", hex(r, 8), hex(r, 4), hex(r, 4), hex(r, 4), hex(r, 12))
}

/// What one call was: the fields that differ between kinds of event.
struct Call {
    source: &'static str,
    name: &'static str,
    identity: Value,
    ip: String,
    params: Value,
    resources: Value,
    read_only: bool,
    category: &'static str,
    error: Option<(&'static str, &'static str)>,
}

/// A call from its parts, in the order `Call` lists them.
#[allow(clippy::too_many_arguments)]
fn call(
    source: &'static str,
    name: &'static str,
    identity: Value,
    ip: String,
    params: Value,
    resources: Value,
    read_only: bool,
    category: &'static str,
    error: Option<(&'static str, &'static str)>,
) -> Call {
    Call { source, name, identity, ip, params, resources, read_only, category, error }
}

/// One event at `t`, of a kind picked at random.
fn event(r: &mut Rng, s: &KindSample, t: i64) -> Value {
    let account = &s.account;
    let user = json!({"type": "IAMUser", "principalId": "AIDAEXAMPLEALICE", "arn": format!("arn:aws:iam::{account}:user/alice"),
        "accountId": account, "accessKeyId": format!("AKIA{}", hex(r, 12).to_uppercase()), "userName": "alice"});
    let session_key = format!("ASIA{}", hex(r, 12).to_uppercase());
    // An admin's session, signed in with MFA.
    let role = json!({"type": "AssumedRole", "principalId": "AROAEXAMPLEADMIN:bob",
        "arn": format!("arn:aws:sts::{account}:assumed-role/Admin/bob"), "accountId": account,
        "accessKeyId": session_key,
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEADMIN",
            "arn": format!("arn:aws:iam::{account}:role/Admin"), "accountId": account, "userName": "Admin"},
            "attributes": {"creationDate": iso(t - 1800), "mfaAuthenticated": "true"}}});
    let internal = format!("10.20.{}.{}", r.below(4), 2 + r.below(250));
    let bucket = "app-data-bucket";
    let roll = r.below(100);
    let Call { source, name, identity, ip, params, resources, read_only, category, error } = match roll {
        0..=44 => {
            let key = format!("reports/{}.csv", r.below(500));
            let name = if r.below(4) == 0 { "PutObject" } else { "GetObject" };
            let resources = json!([{"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/{key}")},
                {"accountId": account, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")}]);
            call(
                "s3.amazonaws.com",
                name,
                user,
                internal,
                json!({"bucketName": bucket, "key": key, "Host": format!("{bucket}.s3.amazonaws.com")}),
                resources,
                name == "GetObject",
                "Data",
                None,
            )
        }
        45..=69 => {
            let name = *r.pick(&["DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs"]);
            call(
                "ec2.amazonaws.com",
                name,
                role,
                "203.0.113.10".into(),
                json!({"maxResults": 100}),
                Value::Null,
                true,
                "Management",
                None,
            )
        }
        70..=77 => {
            let params = json!({"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]}, "instanceType": "t3.micro"});
            let denied = r.below(5) == 0;
            let error = denied.then_some((
                "Client.UnauthorizedOperation",
                "You are not authorized to perform this operation.",
            ));
            call(
                "ec2.amazonaws.com",
                "RunInstances",
                role,
                "203.0.113.10".into(),
                params,
                Value::Null,
                false,
                "Management",
                error,
            )
        }
        78..=85 => {
            let name = *r.pick(&["GetUser", "ListRoles", "ListAttachedRolePolicies"]);
            call(
                "iam.amazonaws.com",
                name,
                role,
                "203.0.113.10".into(),
                json!({"userName": "alice"}),
                Value::Null,
                true,
                "Management",
                None,
            )
        }
        86..=91 => {
            let failed = r.below(6) == 0;
            let error = failed.then_some(("", "Failed authentication"));
            call(
                "signin.amazonaws.com",
                "ConsoleLogin",
                user,
                "198.51.100.20".into(),
                Value::Null,
                Value::Null,
                false,
                "Management",
                error,
            )
        }
        92..=96 => {
            let service = json!({"type": "AWSService", "invokedBy": "ec2.amazonaws.com"});
            call(
                "sts.amazonaws.com",
                "AssumeRole",
                service,
                "ec2.amazonaws.com".into(),
                json!({"roleArn": format!("arn:aws:iam::{account}:role/AppInstance"), "roleSessionName": format!("i-{}", hex(r, 17))}),
                json!([{"accountId": account, "type": "AWS::IAM::Role", "ARN": format!("arn:aws:iam::{account}:role/AppInstance")}]),
                true,
                "Management",
                None,
            )
        }
        _ => {
            let error = Some(("AccessDenied", "Access Denied"));
            call(
                "s3.amazonaws.com",
                "DeleteObject",
                user,
                internal,
                json!({"bucketName": bucket, "key": "audit/keep.log"}),
                json!([{"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/audit/keep.log")}]),
                false,
                "Data",
                error,
            )
        }
    };
    let mut e = json!({
        "eventVersion": "1.11", "userIdentity": identity, "eventTime": iso(t), "eventSource": source,
        "eventName": name, "awsRegion": s.region, "sourceIPAddress": ip,
        "userAgent": if source == "signin.amazonaws.com" { "Mozilla/5.0 (X11; Linux x86_64)" } else { "aws-cli/2.15.0 Python/3.11" },
        "requestParameters": params, "responseElements": Value::Null, "requestID": uuid(r), "eventID": uuid(r),
        "readOnly": read_only, "eventType": if name == "ConsoleLogin" { "AwsConsoleSignIn" } else { "AwsApiCall" },
        "managementEvent": category == "Management", "recipientAccountId": account, "eventCategory": category,
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": format!("{}.{}.amazonaws.com", source.split('.').next().unwrap_or("s3"), s.region)},
    });
    if !resources.is_null() {
        e["resources"] = resources;
    }
    if name == "ConsoleLogin" {
        let ok = error.is_none();
        e["responseElements"] = json!({"ConsoleLogin": if ok { "Success" } else { "Failure" }});
        e["additionalEventData"] = json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": if r.below(3) == 0 { "Yes" } else { "No" }});
        e["errorMessage"] = error.map_or(Value::Null, |(_, m)| json!(m));
    } else if let Some((code, message)) = error {
        e["errorCode"] = json!(code);
        e["errorMessage"] = json!(message);
    }
    e
}

fn write_gzip(path: &Path, doc: &Value) -> Result<u64, String> {
    std::fs::create_dir_all(path.parent().expect("a folder"))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(doc.to_string().as_bytes())
        .and_then(|_| gz.finish().map(|_| ()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}

/// Writes the delivery: the days up to `now`, `records` events spread over them.
pub fn generate(s: &KindSample) -> Result<SampleReport, String> {
    let mut r = Rng(s.seed ^ 0xC10D);
    let end = s.now.as_second() / OBJECT_SECONDS * OBJECT_SECONDS;
    let slots = i64::from(s.days) * 86_400 / OBJECT_SECONDS;
    let first = end - slots * OBJECT_SECONDS;
    let root = match &s.organization {
        Some(org) => s.out.join("AWSLogs").join(org).join(&s.account),
        None => s.out.join("AWSLogs").join(&s.account),
    };
    let mut report = SampleReport::default();
    let mut hour_files: Vec<Value> = Vec::new();
    for slot in 0..slots {
        let stamp = first + (slot + 1) * OBJECT_SECONDS;
        // An even share of the records, the remainder to the first slots.
        let n = s.records / slots as u64 + u64::from((slot as u64) < s.records % slots as u64);
        if n > 0 {
            let mut events: Vec<(i64, Value)> = (0..n)
                .map(|_| {
                    let t = stamp - OBJECT_SECONDS - r.below(600) as i64;
                    (t, event(&mut r, s, t.max(first)))
                })
                .collect();
            events.sort_by_key(|(t, _)| *t);
            let at = Timestamp::from_second(stamp).map_err(|e| e.to_string())?.to_zoned(TimeZone::UTC);
            let name = format!(
                "{}_{SERVICE}_{}_{}_{}.json.gz",
                s.account,
                s.region,
                at.strftime("%Y%m%dT%H%MZ"),
                hex(&mut r, 16)
            );
            let path =
                root.join(SERVICE).join(&s.region).join(at.strftime("%Y/%m/%d").to_string()).join(&name);
            let doc = json!({"Records": events.into_iter().map(|(_, e)| e).collect::<Vec<_>>()});
            report.bytes += write_gzip(&path, &doc)?;
            report.files += 1;
            report.records += n;
            hour_files.push(json!({"s3Bucket": "trail-bucket", "s3Object": name, "hashValue": hex(&mut r, 64), "hashAlgorithm": "SHA-256"}));
        }
        if stamp % 3600 == 0 && !hour_files.is_empty() {
            let at = Timestamp::from_second(stamp).map_err(|e| e.to_string())?.to_zoned(TimeZone::UTC);
            let name = format!(
                "{}_CloudTrail-Digest_{}_management-trail_{}_{}.json.gz",
                s.account,
                s.region,
                s.region,
                at.strftime("%Y%m%dT%H%M%SZ")
            );
            let path = root
                .join("CloudTrail-Digest")
                .join(&s.region)
                .join(at.strftime("%Y/%m/%d").to_string())
                .join(name);
            let digest = json!({"awsAccountId": s.account, "digestStartTime": iso(stamp - 3600), "digestEndTime": iso(stamp),
                "digestS3Bucket": "trail-bucket", "digestPublicKeyFingerprint": hex(&mut r, 32), "digestSignatureAlgorithm": "SHA256withRSA",
                "newestEventTime": iso(stamp - OBJECT_SECONDS), "logFiles": std::mem::take(&mut hour_files)});
            write_gzip(&path, &digest)?;
            report.digests += 1;
        }
    }
    Ok(report)
}
