//! The corpus: Athena queries as people write them (AWS's documentation, AWS's flow-log Athena
//! integration, common tutorials, investigations), in `tests/corpus/*.athena.sql`, each with a
//! DuckDB query written independently for the same question (`*.duckdb.sql`): over flow logs,
//! with arrays, maps, lambdas and the functions people paste, and over CloudTrail-shaped JSON
//! records the queries carry in a VALUES list. Every one must run unchanged on the embedded
//! engine and give DuckDB's answer over the same files (text and Parquet), and parse as a SELECT
//! with sqlglot's Athena dialect.

use std::path::PathBuf;

use serde_json::json;

use crate::local::{athq, duck, sample};
use crate::run;

fn corpus() -> Vec<(String, String, String)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".athena.sql") {
            let athena = std::fs::read_to_string(&path).unwrap();
            let duck = std::fs::read_to_string(dir.join(format!("{stem}.duckdb.sql")))
                .unwrap_or_else(|_| panic!("{stem} has no .duckdb.sql"));
            out.push((stem.to_string(), with_data(&dir, &athena), with_data(&dir, &duck)));
        }
    }
    out.sort();
    out
}

/// A query that says `-- with: NAME` gets `with/NAME.sql` (a WITH clause holding the data it
/// reads, the same for both engines) in front.
fn with_data(dir: &std::path::Path, sql: &str) -> String {
    match sql.lines().find_map(|l| l.strip_prefix("-- with: ")) {
        Some(name) => {
            let data =
                std::fs::read_to_string(dir.join("with").join(format!("{}.sql", name.trim()))).unwrap();
            format!("{data}{sql}")
        }
        None => sql.to_string(),
    }
}

/// Runs every corpus query on the embedded engine over sample logs in `format` and compares it
/// with DuckDB's answer over the same files.
fn corpus_matches_duckdb(format: &str) {
    let queries = corpus();
    assert!(queries.len() >= 120, "{}", queries.len());
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--fields", "v5", "--seed", "21", "--format", format]);
    let src = dir.path().to_str().unwrap();
    for (name, athena, reference) in &queries {
        let file = dir.path().join(format!("{name}.sql"));
        std::fs::write(&file, athena).unwrap();
        let o = run(athq(dir.path())
            .args(["exec", "--engine", "local", "--source", src, "--format", "csv", "--file"])
            .arg(&file));
        assert_eq!(o.code, 0, "{name} ({format}): {}", o.stderr);
        assert!(o.stdout.lines().count() > 1, "{name} ({format}) returned no rows: {}", o.stdout);
        let duck_format = if format == "parquet" { "parquet" } else { "text" };
        assert_eq!(o.stdout, duck(duck_format, dir.path(), reference), "{name} ({format})");
    }
}

#[test]
fn every_corpus_query_runs_on_the_embedded_engine_and_matches_duckdb() {
    corpus_matches_duckdb("text");
}

#[test]
fn every_corpus_query_matches_duckdb_on_parquet_too() {
    corpus_matches_duckdb("parquet");
}

#[test]
fn every_corpus_query_parses_with_sqlglots_athena_dialect() {
    let items: Vec<_> = corpus()
        .into_iter()
        .map(|(name, sql, _)| json!({"name": name, "kind": "select", "sql": sql}))
        .collect();
    assert_eq!(crate::sqlglot::check(&items), Vec::<serde_json::Value>::new());
}

/// What the embedded engine cannot answer as Athena does, it refuses, naming the construct: each
/// of these exits 1 with the message, through the binary.
#[test]
fn every_refused_construct_is_named_in_its_refusal() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path(), &["--records", "500"]);
    let src = dir.path().to_str().unwrap();
    let refused = [
        (
            "SELECT from_unixtime(1796000000) AT TIME ZONE srcaddr FROM vpc_flow_logs",
            "the zone must be a constant here",
        ),
        (
            "SELECT CAST('2026-11-21 10:00:00' AS TIMESTAMP WITH TIME ZONE)",
            "`TIMESTAMP WITH TIME ZONE` (a cast, or a TIMESTAMP literal naming a zone) is not supported",
        ),
        ("SELECT from_unixtime(1796000000) AT TIME ZONE 'Mars/Olympus'", "`Mars/Olympus` is not a time zone"),
        (
            "SELECT hour(TIMESTAMP '2026-11-21 10:00:00 America/New_York')",
            "a TIMESTAMP literal naming a zone",
        ),
        ("SELECT try(bytes / 0) FROM vpc_flow_logs", "`try(…)` around anything but a CAST is not supported"),
        ("SELECT to_char(now(), 'YYYY')", "`to_char` is not supported on the embedded engine"),
        (
            "SELECT reduce(ARRAY[1, 2], 0, (s, x) -> s + x, s -> s)",
            "`reduce` is not supported on the embedded engine",
        ),
        ("SELECT CAST(bytes * 1.5E0 AS VARCHAR) FROM vpc_flow_logs", "a double cast to varchar"),
        ("SELECT 'x' || (bytes * 1.5E0) FROM vpc_flow_logs", "a double cast to varchar"),
        ("SELECT CAST('{}' AS JSON)", "CAST to JSON is not supported"),
        ("SELECT array_join(ARRAY[1.5E0], ',')", "array_join over array(double) is not supported"),
        (
            "SELECT sequence(DATE '2026-01-01', DATE '2026-01-03')",
            "sequence over date, date is not supported",
        ),
        ("SELECT typeof('abc')", "typeof of a literal is not supported"),
        ("SELECT CAST(JSON '1.5' AS VARCHAR)", "a JSON fraction (1.5) cast to varchar is not supported"),
        ("SELECT CAST(date_parse('2026-11-21', '%Y-%m-%d') AS VARCHAR)", "a timestamp cast to varchar"),
        (
            "SELECT 'at ' || CAST(date_trunc('hour', TIMESTAMP '2026-11-21 10:20:00') AS VARCHAR)",
            "a timestamp cast to varchar",
        ),
        ("SELECT CAST(TIMESTAMP '2026-11-21 10:00:00' AS VARCHAR)", "a timestamp cast to varchar"),
        ("SELECT format('%e', 1.5E0)", "the conversion `%e` is not supported"),
        (
            "SELECT * FROM vpc_flow_logs LEFT JOIN UNNEST(ARRAY[1]) AS t(x) ON true",
            "`LEFT JOIN` UNNEST is not supported",
        ),
        (
            "SELECT * FROM vpc_flow_logs a JOIN vpc_flow_logs b ON a.srcaddr = b.dstaddr CROSS JOIN UNNEST(ARRAY[1]) AS t(x)",
            "CROSS JOIN UNNEST after another join is not supported",
        ),
        ("SELECT ARRAY[1, 2, 3][1:2]", "`a[i:j]` is not Trino SQL"),
        (
            "SELECT human_readable_seconds(1E0 / 0)",
            "human_readable_seconds: Invalid argument found: Infinity",
        ),
    ];
    for (sql, says) in refused {
        let o = run(athq(dir.path()).args(["exec", "--engine", "local", "--source", src, "--sql", sql]));
        assert_eq!(o.code, 1, "{sql}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{sql}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{sql}: {}", o.stderr);
    }
    // Trino's subscript fails past the end, and on a missing map key; element_at gives NULL.
    for (sql, says) in [
        ("SELECT ARRAY[1, 2][3]", "array subscript must be less than or equal to array length: 3 > 2"),
        ("SELECT MAP(ARRAY['a'], ARRAY[1])['b']", "key not present in map: b"),
        ("SELECT element_at(ARRAY[1], 0)", "SQL array indices start at 1"),
        ("SELECT CAST(json_parse('[{\"a\": 1}]') AS ARRAY(VARCHAR))", "Cannot cast {\"a\":1} to varchar"),
    ] {
        let o = run(athq(dir.path()).args(["exec", "--engine", "local", "--source", src, "--sql", sql]));
        assert_eq!(o.code, 1, "{sql}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{sql}: {}", o.stderr);
    }
}
