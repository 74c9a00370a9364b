//! The corpus: Athena queries over flow logs as people write them (AWS's documentation, AWS's
//! flow-log Athena integration, common tutorials), in `tests/corpus/*.athena.sql`, each with a
//! DuckDB query written independently for the same question (`*.duckdb.sql`). Every one must run
//! unchanged on the embedded engine and give DuckDB's answer over the same files, and parse as a
//! SELECT with sqlglot's Athena dialect.

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
            out.push((stem.to_string(), athena, duck));
        }
    }
    out.sort();
    out
}

/// Runs every corpus query on the embedded engine over sample logs in `format` and compares it
/// with DuckDB's answer over the same files.
fn corpus_matches_duckdb(format: &str) {
    let queries = corpus();
    assert!(queries.len() >= 30, "{}", queries.len());
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
