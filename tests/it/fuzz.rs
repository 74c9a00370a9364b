//! The randomized differential test: queries generated over the flow-log schema from a grammar
//! of the constructs the embedded engine supports (grouping keys, predicates and aggregates, each
//! written twice: as Athena SQL and, by a rule of its own, as DuckDB SQL), run on the embedded
//! engine and on DuckDB over the same files, answers compared. CI runs a fixed seed;
//! `bench/fuzz` runs longer (`ATHQ_FUZZ_QUERIES`, `ATHQ_FUZZ_SEED`). A mismatch prints both
//! queries, to become a corpus entry.

use crate::local::{athq, duck, sample};
use crate::run;

/// One construct, as Athena writes it and as DuckDB does.
type Pair = (&'static str, &'static str);

/// Grouping keys (each a column of the answer).
const KEYS: &[Pair] = &[
    ("action", "action"),
    ("protocol", "protocol"),
    ("dstport", "dstport"),
    ("log_status", "log_status"),
    ("element_at(split(srcaddr, '.'), 1)", "split_part(srcaddr, '.', 1)"),
    (
        "element_at(split(dstaddr, '.'), 2)",
        "CASE WHEN dstaddr LIKE '%.%' THEN split_part(dstaddr, '.', 2) END",
    ),
    ("cardinality(split(dstaddr, '.'))", "len(string_split(dstaddr, '.'))"),
    ("substr(dstaddr, -2)", "right(dstaddr, 2)"),
    ("hour(from_unixtime(start))", "(start % 86400) // 3600"),
    (
        "hour(from_unixtime(start) AT TIME ZONE 'Asia/Kolkata')",
        "hour(to_timestamp(start) AT TIME ZONE 'Asia/Kolkata')",
    ),
    (
        "day_of_week(from_unixtime(start, 'America/New_York'))",
        "isodow(to_timestamp(start) AT TIME ZONE 'America/New_York')",
    ),
    ("if(bytes > 5000, 'large', 'small')", "CASE WHEN bytes > 5000 THEN 'large' ELSE 'small' END"),
    ("bitwise_and(coalesce(tcp_flags, 0), 2) > 0", "(coalesce(tcp_flags, 0) & 2) > 0"),
    (
        "width_bucket(packets, 0, 100, 4)",
        "CASE WHEN packets < 0 THEN 0 WHEN packets >= 100 THEN 5 ELSE floor(packets * 4 / 100)::BIGINT + 1 END",
    ),
    (
        "regexp_extract(interface_id, '[0-9a-f]{2}$')",
        "nullif(regexp_extract(interface_id, '[0-9a-f]{2}$'), '')",
    ),
    (
        "greatest(srcport, dstport) > 1023",
        "CASE WHEN srcport IS NULL OR dstport IS NULL THEN NULL ELSE greatest(srcport, dstport) > 1023 END",
    ),
    ("concat(action, '/', log_status)", "action || '/' || log_status"),
    (
        "json_extract_scalar('{\"p\": ' || CAST(protocol AS VARCHAR) || '}', '$.p')",
        "CAST(protocol AS VARCHAR)",
    ),
];

/// Predicates (conjoined).
const WHERE: &[Pair] = &[
    ("contains(ARRAY[22, 80, 443, 3389], dstport)", "dstport IN (22, 80, 443, 3389)"),
    ("action = 'REJECT'", "action = 'REJECT'"),
    ("log_status = 'OK'", "log_status = 'OK'"),
    ("bytes > 1000", "bytes > 1000"),
    ("srcaddr LIKE '10.%'", "srcaddr LIKE '10.%'"),
    ("regexp_like(dstaddr, '^10\\.')", "regexp_matches(dstaddr, '^10\\.')"),
    ("contains('10.20.0.0/16', dstaddr)", "dstaddr LIKE '10.20.%'"),
    ("cardinality(filter(ARRAY[srcport, dstport], p -> p < 1024)) > 0", "(srcport < 1024 OR dstport < 1024)"),
    ("protocol <> 6", "protocol <> 6"),
];

/// Aggregates (each a column of the answer).
const AGGREGATES: &[Pair] = &[
    ("COUNT(*)", "COUNT(*)"),
    ("SUM(bytes)", "SUM(bytes)"),
    ("MAX(packets)", "MAX(packets)"),
    ("COUNT(DISTINCT dstaddr)", "COUNT(DISTINCT dstaddr)"),
    ("count_if(action = 'REJECT')", "COUNT(*) FILTER (WHERE action = 'REJECT')"),
    // NULL is one of array_distinct's values (DuckDB's list_distinct drops it).
    (
        "cardinality(array_distinct(array_agg(dstport)))",
        "len(list_distinct(list(dstport))) + CAST(COUNT(*) > COUNT(dstport) AS INTEGER)",
    ),
    ("max_by(dstport, bytes * 100000 + dstport)", "arg_max(dstport, bytes * 100000 + dstport)"),
    ("element_at(histogram(action), 'ACCEPT')", "NULLIF(COUNT(*) FILTER (WHERE action = 'ACCEPT'), 0)"),
    ("array_max(array_agg(bytes))", "CASE WHEN COUNT(*) = COUNT(bytes) THEN MAX(bytes) END"),
    ("every(bytes > 0)", "bool_and(bytes > 0)"),
    ("arbitrary(version)", "any_value(version)"),
    ("MIN(from_unixtime(start) AT TIME ZONE 'Asia/Tokyo') IS NOT NULL", "MIN(start) IS NOT NULL"),
];

/// A small deterministic generator (xorshift), so a seed names a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `k` distinct indices below `n`.
    fn pick(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// A query as both engines write it.
fn generate(rng: &mut Rng) -> (String, String) {
    let (nk, np, na) = (1 + rng.below(2), rng.below(3), 1 + rng.below(3));
    let keys = rng.pick(KEYS.len(), nk);
    let preds = rng.pick(WHERE.len(), np);
    let aggs = rng.pick(AGGREGATES.len(), na);
    let render = |side: usize, table: &str| {
        let get = |p: &Pair| if side == 0 { p.0 } else { p.1 };
        let mut select: Vec<String> =
            keys.iter().enumerate().map(|(n, k)| format!("{} AS k{n}", get(&KEYS[*k]))).collect();
        select.extend(aggs.iter().enumerate().map(|(n, a)| format!("{} AS a{n}", get(&AGGREGATES[*a]))));
        let filter = match preds.is_empty() {
            true => String::new(),
            false => format!(
                " WHERE {}",
                preds.iter().map(|p| format!("({})", get(&WHERE[*p]))).collect::<Vec<_>>().join(" AND ")
            ),
        };
        let by: Vec<String> = (1..=keys.len()).map(|n| n.to_string()).collect();
        format!(
            "SELECT {} FROM {table}{filter} GROUP BY {} ORDER BY {} LIMIT 50",
            select.join(", "),
            by.join(", "),
            by.join(", ")
        )
    };
    (render(0, "vpc_flow_logs"), render(1, "flows"))
}

/// Generates and compares `n` queries from `seed`; returns the mismatches.
pub fn differential(seed: u64, n: usize, format: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    sample(
        dir.path(),
        &["--fields", "v5", "--seed", "7", "--format", format, "--records", "5000", "--days", "1"],
    );
    let src = dir.path().to_str().unwrap();
    let mut rng = Rng(seed.max(1));
    let mut mismatches = Vec::new();
    for _ in 0..n {
        let (athena, reference) = generate(&mut rng);
        let o = run(athq(dir.path())
            .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--sql", &athena]));
        let want = duck(
            if format == "parquet" { "parquet" } else { "text" },
            dir.path(),
            &format!("SET TimeZone = 'UTC'; {reference}"),
        );
        if o.code != 0 || o.stdout != want {
            mismatches.push(format!(
                "athena: {athena}\nduckdb: {reference}\nembedded engine (exit {}):\n{}{}\nduckdb:\n{want}",
                o.code, o.stdout, o.stderr
            ));
        }
    }
    mismatches
}

#[test]
fn generated_queries_answer_as_duckdb_does() {
    let seed = std::env::var("ATHQ_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261207);
    let n = std::env::var("ATHQ_FUZZ_QUERIES").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let format = std::env::var("ATHQ_FUZZ_FORMAT").unwrap_or_else(|_| "text".into());
    let mismatches = differential(seed, n, &format);
    assert!(
        mismatches.is_empty(),
        "{} of {n} generated queries differ (seed {seed}):\n\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
}

#[test]
fn the_generator_is_deterministic_and_covers_the_grammar() {
    let (mut a, mut b) = (Rng(5), Rng(5));
    let first: Vec<_> = (0..20).map(|_| generate(&mut a)).collect();
    let again: Vec<_> = (0..20).map(|_| generate(&mut b)).collect();
    assert_eq!(first, again);
    // Over a CI run's worth of queries, every key, predicate and aggregate appears.
    let mut rng = Rng(20261207);
    let all: String = (0..60).map(|_| generate(&mut rng).0).collect::<Vec<_>>().join("\n");
    for (athena, _) in KEYS.iter().chain(WHERE).chain(AGGREGATES) {
        assert!(all.contains(athena), "never generated: {athena}");
    }
}
