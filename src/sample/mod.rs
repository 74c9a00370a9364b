//! `athq sample`: realistic synthetic VPC Flow Logs in AWS's exact layout and file naming, for
//! trying athq, for tests and for benchmarks. Deterministic for a seed: internal hosts in the
//! configured networks, skewed external peers, realistic ports and protocols, a REJECT share,
//! NODATA/SKIPDATA records with `-` placeholders, and some IPv6. Outbound traffic goes to skewed
//! popular peers, inbound comes from a wide population, DNS goes to public resolvers, and only
//! inbound flows are rejected. Seeded scenarios (`--scenarios`) add the behaviour the detection
//! queries look for, at fixed addresses and times near the end of the sample.
//! Text files hold five minutes each (gzip, header line first); Parquet files an hour each
//! (`.log.parquet`, in the day's or the hour's folder), in row groups of 64Ki rows.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Builder, Int64Builder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use ipnet::IpNet;
use jiff::Timestamp;

pub use scenarios::Scenario;

use crate::table::layout::{self, Layout};

mod scenarios;
use crate::table::{Field, FieldSet};

/// Seconds per text file (AWS delivers a file every five minutes per flow log).
const FILE_SECONDS: i64 = 300;

pub struct SampleSpec {
    pub out: PathBuf,
    pub scenarios: Vec<Scenario>,
    pub days: u32,
    pub records: u64,
    pub parquet: bool,
    pub layout: Layout,
    pub hourly: bool,
    pub fields: FieldSet,
    pub seed: u64,
    pub account: String,
    pub region: String,
    pub internal: Vec<IpNet>,
    pub now: Timestamp,
}

#[derive(Debug, Default)]
pub struct SampleReport {
    pub files: usize,
    pub records: u64,
    pub bytes: u64,
}

pub(crate) use crate::logs::rng::Rng;

pub(crate) struct Interface {
    id: String,
    pub addr: String,
    addr6: String,
    subnet: String,
    instance: Option<String>,
    az: String,
}

pub(crate) struct World {
    pub interfaces: Vec<Interface>,
    peers: Vec<String>,
    scanners: Vec<String>,
    vpc: String,
}

pub(crate) fn host_in(net: &IpNet, n: u64) -> String {
    match net {
        IpNet::V4(v4) => {
            let size = 1u64 << (32 - u32::from(v4.prefix_len())).min(32);
            let offset = 4 + n % size.saturating_sub(5).max(1);
            std::net::Ipv4Addr::from(u32::from(v4.network()).wrapping_add(offset as u32)).to_string()
        }
        IpNet::V6(v6) => {
            std::net::Ipv6Addr::from(u128::from(v6.network()).wrapping_add(u128::from(n) + 4)).to_string()
        }
    }
}

fn world(spec: &SampleSpec) -> World {
    let mut r = Rng(spec.seed ^ 0xA7A7);
    let net = spec.internal.first().copied().unwrap_or_else(|| "10.20.0.0/16".parse().expect("valid"));
    let interfaces = (0..48)
        .map(|i| Interface {
            id: format!("eni-{:017x}", r.next() >> 4),
            addr: host_in(&net, r.below(60_000) + i),
            addr6: format!(
                "2600:1f18:4a3:6{:03x}:{:x}:{:x}:{:x}:{:x}",
                i,
                r.below(65536),
                r.below(65536),
                r.below(65536),
                r.below(65536)
            ),
            subnet: format!("subnet-{:017x}", (i % 6) * 0x1111_1111 + 0xabc),
            instance: (i % 5 != 0).then(|| format!("i-{:017x}", r.next() >> 4)),
            az: format!("use1-az{}", i % 3 + 1),
        })
        .collect();
    let peers = (0..2000)
        .map(|_| {
            let a = *r.pick(&[52u64, 54, 3, 13, 18, 34, 35, 104, 142, 151, 172, 185, 198, 203]);
            format!("{a}.{}.{}.{}", r.below(256), r.below(256), 1 + r.below(254))
        })
        .collect();
    let scanners =
        (0..6).map(|_| format!("45.{}.{}.{}", r.below(256), r.below(256), 1 + r.below(254))).collect();
    World { interfaces, peers, scanners, vpc: format!("vpc-{:017x}", r.next() >> 4) }
}

/// One record's values, by AWS field name.
pub(crate) struct Record {
    values: Vec<(&'static str, Option<String>)>,
}

impl Record {
    fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.as_deref())
    }
}

/// One flow, before it becomes a record.
pub(crate) struct Flow<'a> {
    pub eni: &'a Interface,
    pub src: String,
    pub dst: String,
    pub sport: u64,
    pub dport: u64,
    pub proto: u64,
    pub packets: u64,
    pub bytes: u64,
    pub start: i64,
    pub end: i64,
    pub reject: bool,
    pub outbound: bool,
}

/// The fields every record has, NODATA and SKIPDATA ones included.
fn base(
    spec: &SampleSpec,
    w: &World,
    eni: &Interface,
    start: i64,
    end: i64,
) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("version", Some(spec.fields.fields().iter().map(|f| f.version).max().unwrap_or(2).to_string())),
        ("account-id", Some(spec.account.clone())),
        ("interface-id", Some(eni.id.clone())),
        ("start", Some(start.to_string())),
        ("end", Some(end.to_string())),
        ("vpc-id", Some(w.vpc.clone())),
        ("subnet-id", Some(eni.subnet.clone())),
        ("instance-id", eni.instance.clone()),
        ("region", Some(spec.region.clone())),
        ("az-id", Some(eni.az.clone())),
    ]
}

pub(crate) fn flow_record(r: &mut Rng, spec: &SampleSpec, w: &World, f: Flow) -> Record {
    let mut v = base(spec, w, f.eni, f.start, f.end);
    let ipv6 = f.src.contains(':');
    let (sport, dport) = if f.proto == 1 { (0, 0) } else { (f.sport, f.dport) };
    v.extend([
        ("srcaddr", Some(f.src.clone())),
        ("dstaddr", Some(f.dst.clone())),
        ("srcport", Some(sport.to_string())),
        ("dstport", Some(dport.to_string())),
        ("protocol", Some(f.proto.to_string())),
        ("packets", Some(f.packets.to_string())),
        ("bytes", Some(f.bytes.to_string())),
        ("action", Some(if f.reject { "REJECT" } else { "ACCEPT" }.into())),
        ("log-status", Some("OK".into())),
        (
            "tcp-flags",
            Some(if f.proto == 6 { *r.pick(&["2", "18", "19", "3", "1", "4"]) } else { "0" }.into()),
        ),
        ("type", Some(if ipv6 { "IPv6" } else { "IPv4" }.into())),
        ("pkt-srcaddr", Some(f.src)),
        ("pkt-dstaddr", Some(f.dst)),
        ("flow-direction", Some(if f.outbound { "egress" } else { "ingress" }.into())),
        ("traffic-path", f.outbound.then(|| (1 + r.below(8)).to_string())),
        ("pkt-dst-aws-service", (f.outbound && r.unit() < 0.05).then(|| "S3".into())),
        ("encryption-status", Some("0".into())),
    ]);
    Record { values: v }
}

/// Public resolvers the sample's hosts send DNS to.
pub(crate) const RESOLVERS: [&str; 3] = ["8.8.8.8", "8.8.4.4", "1.1.1.1"];

/// External databases the sample's hosts connect to.
const DATABASES: [&str; 3] = ["52.94.133.131", "54.239.28.85", "3.5.140.2"];

fn record(r: &mut Rng, w: &World, spec: &SampleSpec, end: i64) -> Record {
    let eni = r.pick(&w.interfaces);
    let start = end - 1 - r.below(59) as i64;
    let roll = r.unit();
    if roll < 0.03 {
        let mut v = base(spec, w, eni, start, end);
        v.push(("log-status", Some(if roll < 0.02 { "NODATA" } else { "SKIPDATA" }.into())));
        return Record { values: v };
    }
    let ipv6 = r.unit() < 0.02;
    // The internet's background scanners, unless the sample is to be clean.
    let scanner = r.unit() < 0.01 && spec.scenarios.contains(&Scenario::Scanners);
    let outbound = !scanner && r.unit() < 0.6;
    let pick = r.unit();
    let external = if scanner {
        r.pick(&w.scanners).clone()
    } else if ipv6 {
        format!("2001:db8:{:x}::{:x}", r.below(16), 1 + r.below(4000))
    } else if outbound {
        // Skewed: a few popular services carry most of the traffic.
        w.peers[(w.peers.len() as f64 * pick.powi(3)) as usize].clone()
    } else {
        // Inbound clients come from a wide population.
        w.peers[(w.peers.len() as f64 * pick) as usize].clone()
    };
    let internal = if ipv6 { eni.addr6.clone() } else { eni.addr.clone() };
    let ephemeral = 32_768 + r.below(28_232);
    let (service, proto) = if scanner {
        (1 + r.below(1024), 6)
    } else {
        let p = *r.pick(&[443u64, 443, 443, 443, 443, 80, 80, 53, 53, 123, 22, 3389, 3306, 5432, 8080, 0]);
        let proto = match p {
            53 | 123 => 17,
            0 => 1,
            _ => 6,
        };
        (p, proto)
    };
    // Hosts ask public resolvers, not whichever peer (the VPC's own resolver is never logged),
    // and reach databases at a few fixed addresses.
    let database = matches!(service, 3306 | 5432);
    let external = match (outbound && !ipv6, service) {
        (true, 53) => RESOLVERS[(pick * 1e6) as usize % RESOLVERS.len()].to_string(),
        (true, 3306 | 5432) => DATABASES[(pick * 1e6) as usize % DATABASES.len()].to_string(),
        _ => external,
    };
    // Inbound flows to admin and database ports are half rejected, and a few others; outbound,
    // only database connections, which the network ACL blocks half the time: security groups
    // allow all egress, as most do.
    let reject = scanner
        || (!outbound && matches!(service, 22 | 3389 | 3306 | 5432) && r.unit() < 0.5)
        || (outbound && database && r.unit() < 0.5)
        || (!outbound && r.unit() < 0.02);
    let (src, dst) = if outbound { (internal, external) } else { (external, internal) };
    let u = r.unit();
    let (packets, bytes) = if matches!(service, 53 | 123) && !scanner {
        // A query and its answer: a few small packets.
        let packets = 1 + (u * 3.0) as u64;
        (packets, packets * (60 + r.below(200)))
    } else {
        let packets = 1 + (u.powi(4) * 5000.0) as u64;
        (packets, packets * (40 + r.below(1460)))
    };
    let f = Flow {
        eni,
        src,
        dst,
        sport: ephemeral,
        dport: service,
        proto,
        packets,
        bytes,
        start,
        end,
        reject,
        outbound,
    };
    flow_record(r, spec, w, f)
}

fn folder(spec: &SampleSpec, at: Timestamp) -> PathBuf {
    // Firehose's folders are hourly, whatever the table's partitions hold.
    let granularity = if spec.hourly || spec.layout == Layout::Firehose {
        crate::table::Granularity::Hour
    } else {
        crate::table::Granularity::Day
    };
    spec.layout.sample_folder(&spec.out, &spec.account, &spec.region, at, granularity)
}

fn file_name(spec: &SampleSpec, at: Timestamp, r: &mut Rng, ext: &str) -> String {
    layout::file_name(&spec.account, &spec.region, "fl-0a1b2c3d4e5f67890", at, r.next() as u32, ext)
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("writing {}: {e}", path.display())
}

/// Writes the sample; returns what it wrote.
pub fn generate(spec: &SampleSpec) -> Result<SampleReport, String> {
    let w = world(spec);
    let end = spec.now.as_second() / FILE_SECONDS * FILE_SECONDS;
    let slots = i64::from(spec.days) * 86_400 / FILE_SECONDS;
    let first = end - slots * FILE_SECONDS;
    let mut report = SampleReport::default();
    let mut pending: Vec<Record> = Vec::new();
    let mut pending_key: Option<(String, String)> = None;
    let mut seeded = scenarios::records(spec, &w, first, end);
    for s in 0..slots {
        let slot_start = first + s * FILE_SECONDS;
        let mut r = Rng(spec.seed.wrapping_mul(0x1000_0001).wrapping_add(s as u64));
        let n = spec.records * (s as u64 + 1) / slots as u64 - spec.records * s as u64 / slots as u64;
        let mut records: Vec<Record> = (0..n)
            .map(|_| {
                let end = slot_start + r.below(FILE_SECONDS as u64) as i64;
                record(&mut r, &w, spec, end)
            })
            .collect();
        // The scenarios' flows that ended in these five minutes (they are sorted by end).
        let due = seeded.partition_point(|(end, _)| *end < slot_start + FILE_SECONDS);
        records.extend(seeded.drain(..due).map(|(_, rec)| rec));
        // The file is stamped with the end of its five minutes, as AWS's delivery is.
        let stamp = Timestamp::from_second(slot_start + FILE_SECONDS).map_err(|e| e.to_string())?;
        if spec.parquet {
            // One file an hour, in the day's or the hour's folder, as AWS delivers Parquet.
            // By the stamp, as the folder is: the five minutes ending at 12:00 are in 12:00's.
            let hour = (stamp.as_second() / 3600).to_string();
            let key = (folder(spec, stamp).display().to_string(), hour);
            if pending_key.as_ref().is_some_and(|k| *k != key) {
                let (dir, _) = pending_key.take().unwrap_or_default();
                write_parquet(spec, &mut pending, dir, &mut r, stamp, &mut report)?;
            }
            pending_key = Some(key);
            pending.extend(records);
        } else {
            write_text(spec, &records, stamp, &mut r, &mut report)?;
        }
    }
    if let Some((dir, _)) = pending_key {
        let mut r = Rng(spec.seed);
        write_parquet(spec, &mut pending, dir, &mut r, spec.now, &mut report)?;
    }
    Ok(report)
}

fn write_text(
    spec: &SampleSpec,
    records: &[Record],
    stamp: Timestamp,
    r: &mut Rng,
    report: &mut SampleReport,
) -> Result<(), String> {
    let dir = folder(spec, stamp);
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let firehose = spec.layout == Layout::Firehose;
    let name = if firehose {
        let id = r.next();
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            id >> 32,
            (id >> 16) & 0xffff,
            id & 0xfff,
            (id >> 12) & 0xfff,
            r.next() & 0xffff_ffff_ffff
        );
        layout::firehose_name("flowlogs-stream", stamp, &uuid)
    } else {
        file_name(spec, stamp, r, "log.gz")
    };
    let path = dir.join(name);
    let file = std::fs::File::create(&path).map_err(io_err(&path))?;
    let mut gz = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::default());
    let names: Vec<&str> = spec.fields.fields().iter().map(|f| f.aws_name).collect();
    // Firehose objects hold the CloudWatch Logs messages as they are: no header line.
    let mut text = if firehose { String::new() } else { names.join(" ") + "\n" };
    for rec in records {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(rec.get(name).unwrap_or("-"));
        }
        text.push('\n');
    }
    gz.write_all(text.as_bytes()).map_err(io_err(&path))?;
    gz.finish().and_then(|mut w| w.flush()).map_err(io_err(&path))?;
    report.files += 1;
    report.records += records.len() as u64;
    report.bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(())
}

fn parquet_type(f: &Field) -> DataType {
    match f.aws_name {
        "packets" | "bytes" | "start" | "end" => DataType::Int64,
        _ if f.athena_type == "int" || f.athena_type == "bigint" => DataType::Int32,
        _ => DataType::Utf8,
    }
}

const PARQUET_ROW_GROUP: usize = 64 * 1024;

fn write_parquet(
    spec: &SampleSpec,
    records: &mut Vec<Record>,
    dir: String,
    r: &mut Rng,
    stamp: Timestamp,
    report: &mut SampleReport,
) -> Result<(), String> {
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let path = dir.join(file_name(spec, stamp, r, "log.parquet"));
    let fields = spec.fields.fields();
    let schema = Arc::new(Schema::new(
        fields.iter().map(|f| ArrowField::new(f.column(), parquet_type(f), true)).collect::<Vec<_>>(),
    ));
    let columns: Vec<ArrayRef> = fields
        .iter()
        .map(|f| -> ArrayRef {
            let values = records.iter().map(|rec| rec.get(f.aws_name));
            match parquet_type(f) {
                DataType::Int64 => {
                    let mut b = Int64Builder::new();
                    values.for_each(|v| b.append_option(v.and_then(|s| s.parse().ok())));
                    Arc::new(b.finish())
                }
                DataType::Int32 => {
                    let mut b = Int32Builder::new();
                    values.for_each(|v| b.append_option(v.and_then(|s| s.parse().ok())));
                    Arc::new(b.finish())
                }
                _ => {
                    let mut b = StringBuilder::new();
                    values.for_each(|v| b.append_option(v));
                    Arc::new(b.finish())
                }
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(&path).map_err(io_err(&path))?;
    // Row groups of 64Ki rows: a file of an hour of a busy VPC holds several, which a reader can
    // split between threads (the writer's default, a million rows, makes every file one group).
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(PARQUET_ROW_GROUP))
        .build();
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| e.to_string())?;
    writer.write(&batch).map_err(|e| e.to_string())?;
    writer.close().map_err(|e| e.to_string())?;
    report.files += 1;
    report.records += records.len() as u64;
    report.bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    records.clear();
    Ok(())
}
