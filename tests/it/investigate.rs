//! The one-address investigation on the embedded engine, checked against DuckDB over the same
//! files: `peer` (every host that exchanged traffic with the address), `peer-over-time` (its
//! traffic per bucket), and `find-ip`'s side labels and row-limit notice.

use std::path::Path;

use crate::local::{duck, local, sample};

const WINDOW: &str = "\"end\" >= 1795083960 AND \"start\" < 1795343160";

/// The address with the most flows as a source that also receives: a host worth investigating.
fn busiest(dir: &Path) -> String {
    let out = duck(
        "text",
        dir,
        &format!(
            "SELECT srcaddr FROM flows WHERE {WINDOW} AND srcaddr IN (SELECT dstaddr FROM flows) \
             GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"
        ),
    );
    out.lines().nth(1).expect("an address").trim().to_string()
}

/// The flows of `ip`, seen from its side, as DuckDB computes them from the files.
fn flows_of(ip: &str) -> String {
    format!(
        "WITH f AS (SELECT CASE WHEN srcaddr = '{ip}' THEN 1 ELSE 0 END AS sent, \
         CASE WHEN srcaddr = '{ip}' THEN dstaddr ELSE srcaddr END AS peer, \
         CASE WHEN srcaddr = '{ip}' THEN srcport ELSE dstport END AS ap, \
         CASE WHEN srcaddr = '{ip}' THEN dstport ELSE srcport END AS pp, \
         packets, bytes, action, \"start\", \"end\" FROM flows \
         WHERE {WINDOW} AND (srcaddr = '{ip}' OR dstaddr = '{ip}'))"
    )
}

fn time(col: &str) -> String {
    format!("strftime(to_timestamp({col}) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.000 UTC')")
}

fn peer_sql(ip: &str) -> String {
    let ports = |col: &str| {
        format!(
            "(SELECT peer, string_agg(CASE WHEN k <= 5 THEN {col}::VARCHAR || ':' || n::VARCHAR END, ', ' ORDER BY n DESC, {col}) AS ports \
             FROM (SELECT peer, {col}, COUNT(*) AS n, row_number() OVER (PARTITION BY peer ORDER BY COUNT(*) DESC, {col}) AS k \
             FROM f GROUP BY peer, {col}) GROUP BY peer)"
        )
    };
    format!(
        "{}, t AS (SELECT peer, SUM(bytes * sent) AS bs, SUM(bytes * (1 - sent)) AS br, SUM(packets * sent) AS ps, \
         SUM(packets * (1 - sent)) AS pr, COUNT(*) AS flows, SUM(CASE WHEN action = 'ACCEPT' THEN 1 ELSE 0 END) AS acc, \
         SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rej, MIN(\"start\") AS fs, MAX(\"end\") AS le FROM f GROUP BY peer) \
         SELECT t.peer, bs AS bytes_sent, br AS bytes_received, ps AS packets_sent, pr AS packets_received, flows, \
         acc AS accepted, rej AS rejected, a.ports AS address_ports, p.ports AS peer_ports, {} AS first_seen, {} AS last_seen \
         FROM t JOIN {} a ON a.peer = t.peer JOIN {} p ON p.peer = t.peer ORDER BY bs + br DESC, t.peer LIMIT 1000",
        flows_of(ip),
        time("fs"),
        time("le"),
        ports("ap"),
        ports("pp"),
    )
}

fn peer_over_time_sql(ip: &str) -> String {
    format!(
        "{}, g AS (SELECT {} AS bucket_start, SUM(bytes * sent) AS bytes_sent, SUM(bytes * (1 - sent)) AS bytes_received, \
         SUM(packets * sent) AS packets_sent, SUM(packets * (1 - sent)) AS packets_received, COUNT(*) AS flows, \
         SUM(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected_flows, COUNT(DISTINCT peer) AS peers \
         FROM f GROUP BY 1) SELECT * FROM g ORDER BY 1",
        flows_of(ip),
        time("(\"start\" // 3600) * 3600"),
    )
}

#[test]
fn peer_and_peer_over_time_match_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--seed", "11"]);
    let ip = busiest(dir.path());
    let p = format!("ip={ip}");
    let peers = local(dir.path(), "peer", &["-p", &p]);
    assert_eq!(peers.code, 0, "{}", peers.stderr);
    assert!(peers.stdout.lines().count() > 5, "{ip} has too few peers to mean anything: {}", peers.stdout);
    assert!(
        peers.stdout.lines().next().unwrap().starts_with(
            "peer,bytes_sent,bytes_received,packets_sent,packets_received,flows,accepted,rejected,address_ports,peer_ports,first_seen,last_seen"
        ),
        "{}",
        peers.stdout
    );
    assert_eq!(peers.stdout, duck("text", dir.path(), &peer_sql(&ip)));
    let over_time = local(dir.path(), "peer-over-time", &["-p", &p]);
    assert_eq!(over_time.code, 0, "{}", over_time.stderr);
    assert!(over_time.stdout.lines().count() > 24, "{}", over_time.stdout);
    assert_eq!(over_time.stdout, duck("text", dir.path(), &peer_over_time_sql(&ip)));
}

#[test]
fn find_ip_says_which_side_the_address_was_on_and_when_its_limit_cut_the_result() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--seed", "11"]);
    let ip = busiest(dir.path());
    let o = local(dir.path(), "find-ip", &["-p", &format!("ip={ip}"), "-p", "limit=100000"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("address_was,"), "{}", o.stdout);
    let mut sides = std::collections::BTreeMap::new();
    for line in o.stdout.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (side, src, dst) = (f[0], f[3], f[5]);
        match side {
            "source (sent)" => assert_eq!(src, ip, "{line}"),
            "destination (received)" => assert_eq!(dst, ip, "{line}"),
            other => panic!("side `{other}`: {line}"),
        }
        *sides.entry(side.to_string()).or_insert(0) += 1;
    }
    assert_eq!(sides.len(), 2, "{sides:?}");
    assert!(!o.stderr.contains("limit"), "{}", o.stderr);
    // Cut at its limit: said, with how to see more.
    let o = local(dir.path(), "find-ip", &["-p", &format!("ip={ip}"), "-p", "limit=5"]);
    assert_eq!(o.stdout.lines().count(), 6, "{}", o.stdout);
    assert!(
        o.stderr.contains(
            "note: the result stopped at the query's limit of 5 rows: more may match (-p limit=N shows more)"
        ),
        "{}",
        o.stderr
    );
}
