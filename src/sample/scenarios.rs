//! Seeded scenarios: the behaviour each detection query looks for, added to a sample at fixed
//! addresses (external ones in TEST-NET-1, 192.0.2.0/24, which no background peer uses) and at
//! times set as fractions of the sample's span, so any `--days` holds them all.

use super::{Flow, Record, Rng, SampleSpec, World, flow_record, host_in};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Scenario {
    /// No scenario and no background scanners: clean traffic only
    None,
    /// Every scenario below
    All,
    /// The internet's background scanners: 1% of records, rejected, from six addresses (default)
    Scanners,
    /// 192.0.2.23 probes 1,000 ports of one host in ten minutes (a vertical scan)
    ExternalScan,
    /// An internal host sweeps 254 internal addresses on port 445 (a horizontal scan)
    InternalScan,
    /// An internal host calls 192.0.2.77:443 every five minutes, a few seconds either way
    Beaconing,
    /// An internal host sends 40 GiB to 192.0.2.150 within one hour
    Exfiltration,
    /// An internal host sends 3,000 large DNS flows to 192.0.2.53, which is no resolver
    DnsTunnel,
    /// An internal host keeps a connection to a mining pool, 192.0.2.44:3333
    CryptoMining,
    /// 192.0.2.99 makes 600 short SSH connections to one host in forty minutes
    BruteForce,
    /// An internal host starts talking to 192.0.2.200 and .201 in the last hours
    NewDestination,
}

impl Scenario {
    const EVERY: [Scenario; 9] = [
        Scenario::Scanners,
        Scenario::ExternalScan,
        Scenario::InternalScan,
        Scenario::Beaconing,
        Scenario::Exfiltration,
        Scenario::DnsTunnel,
        Scenario::CryptoMining,
        Scenario::BruteForce,
        Scenario::NewDestination,
    ];

    /// `none` and `all` in a list of scenarios, spelled out: the scenarios to write.
    pub fn expand(list: &[Scenario]) -> Vec<Scenario> {
        let mut out: Vec<Scenario> = if list.contains(&Scenario::All) {
            Self::EVERY.to_vec()
        } else {
            list.iter().copied().filter(|s| !matches!(s, Scenario::None | Scenario::All)).collect()
        };
        out.sort();
        out.dedup();
        out
    }
}

/// The seeded flows of `spec.scenarios` between `first` and `end`, as (end, record), by end.
pub(super) fn records(spec: &SampleSpec, w: &World, first: i64, end: i64) -> Vec<(i64, Record)> {
    let span = end - first;
    let at = |frac: f64| end - (span as f64 * frac) as i64;
    let mut r = Rng(spec.seed ^ 0x5CE7_A210);
    let mut out = Vec::new();
    let eni = |i: usize| &w.interfaces[i % w.interfaces.len()];
    let mut add = |r: &mut Rng, f: Flow| {
        // Only what fits in the sample's files: the last file holds ends before `end`.
        if f.start >= first && f.end < end {
            out.push((f.end, flow_record(r, spec, w, f)));
        }
    };
    for scenario in &spec.scenarios {
        match scenario {
            Scenario::None | Scenario::All | Scenario::Scanners => {}
            Scenario::ExternalScan => {
                let t0 = at(0.25);
                for port in 1..=1000u64 {
                    let start = t0 + (port as i64 * 6) / 10;
                    add(&mut r, probe(eni(3), "192.0.2.23".into(), eni(3).addr.clone(), port, start, true));
                }
            }
            Scenario::InternalScan => {
                let net =
                    spec.internal.first().copied().unwrap_or_else(|| "10.20.0.0/16".parse().expect("valid"));
                let t0 = at(0.4);
                for i in 0..254u64 {
                    let target = host_in(&net, 30_000 + i * 7);
                    let start = t0 + i as i64 * 2;
                    let mut f = probe(eni(7), eni(7).addr.clone(), target, 445, start, false);
                    f.outbound = true;
                    f.packets = 1 + i % 2;
                    f.bytes = 52 * f.packets;
                    add(&mut r, f);
                }
            }
            Scenario::Beaconing => {
                let mut t = first + 600;
                while t < end - 60 {
                    let packets = 4 + r.below(3);
                    let bytes = packets * (150 + r.below(60));
                    add(&mut r, outbound(eni(11), "192.0.2.77", 443, 6, packets, bytes, t));
                    t += 298 + r.below(5) as i64;
                }
            }
            Scenario::Exfiltration => {
                let hour = at(0.1) / 3600 * 3600;
                for minute in 0..60 {
                    let bytes = (700 << 20) + r.below(16 << 20);
                    let start = hour + minute * 60 + r.below(30) as i64;
                    add(&mut r, outbound(eni(13), "192.0.2.150", 443, 6, bytes / 1400, bytes, start));
                }
            }
            Scenario::DnsTunnel => {
                let t0 = at(0.08);
                for i in 0..3000 {
                    let packets = 20 + r.below(40);
                    let bytes = packets * (180 + r.below(60));
                    add(&mut r, outbound(eni(19), "192.0.2.53", 53, 17, packets, bytes, t0 + (i * 12) / 5));
                }
            }
            Scenario::CryptoMining => {
                let mut t = end - (12 * 3600).min(span / 2);
                while t < end - 60 {
                    let packets = 10 + r.below(10);
                    let bytes = packets * (100 + r.below(200));
                    add(&mut r, outbound(eni(23), "192.0.2.44", 3333, 6, packets, bytes, t));
                    t += 40 + r.below(41) as i64;
                }
            }
            Scenario::BruteForce => {
                let t0 = at(0.55);
                for i in 0..600 {
                    let mut f =
                        probe(eni(5), "192.0.2.99".into(), eni(5).addr.clone(), 22, t0 + i * 4, false);
                    f.packets = 10 + r.below(10);
                    f.bytes = f.packets * (80 + r.below(60));
                    add(&mut r, f);
                }
            }
            Scenario::NewDestination => {
                let t0 = end - (6 * 3600).min(span / 4);
                for i in 0..80 {
                    let dst = if i % 2 == 0 { "192.0.2.200" } else { "192.0.2.201" };
                    let packets = 5 + r.below(200);
                    let bytes = packets * (200 + r.below(1200));
                    let start = t0 + i * 240 + r.below(480) as i64;
                    add(&mut r, outbound(eni(29), dst, 443, 6, packets, bytes, start));
                }
            }
        }
    }
    out.sort_by_key(|(end, _)| *end);
    out
}

/// A one-packet connection attempt from `src` to `dst:port`, inbound to `eni`.
fn probe(eni: &super::Interface, src: String, dst: String, port: u64, start: i64, reject: bool) -> Flow<'_> {
    Flow {
        eni,
        src,
        dst,
        sport: 54_321,
        dport: port,
        proto: 6,
        packets: 1,
        bytes: 44,
        start,
        end: start + 1,
        reject,
        outbound: false,
    }
}

/// An accepted flow from `eni` to `dst:port`.
fn outbound<'a>(
    eni: &'a super::Interface,
    dst: &str,
    port: u64,
    proto: u64,
    packets: u64,
    bytes: u64,
    start: i64,
) -> Flow<'a> {
    Flow {
        eni,
        src: eni.addr.clone(),
        dst: dst.to_string(),
        sport: 49_152 + (start as u64 % 16_000),
        dport: port,
        proto,
        packets,
        bytes,
        start,
        end: start + 1 + (packets as i64 % 50),
        reject: false,
        outbound: true,
    }
}
