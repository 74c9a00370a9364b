//! Tab completion for the shell: backslash commands and their arguments (formats, engines, saved
//! query names), and in SQL the table's names, its columns, the engine's functions and keywords.

use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// The backslash commands, for completion and `\help`.
pub const COMMANDS: &[&str] = &["\\q", "\\help", "\\format", "\\engine", "\\run", "\\list"];

const FORMATS: &[&str] = &["table", "csv", "json", "ndjson", "markdown"];
const ENGINES: &[&str] = &["local", "athena"];

const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "AS",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "BETWEEN",
    "LIKE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "DISTINCT",
    "JOIN",
    "LEFT",
    "INNER",
    "OUTER",
    "ON",
    "WITH",
    "UNION",
    "ALL",
    "ASC",
    "DESC",
    "NULLS",
    "FIRST",
    "LAST",
    "CAST",
    "TRY_CAST",
    "IPADDRESS",
    "IPPREFIX",
    "VARCHAR",
    "BIGINT",
    "INTEGER",
    "DOUBLE",
    "TIMESTAMP",
    "DATE",
    "INTERVAL",
    "SHOW",
    "TABLES",
    "COLUMNS",
    "DESCRIBE",
    "EXPLAIN",
    "OVER",
    "PARTITION",
    "FILTER",
];

/// What can be completed, refreshed when the engine changes.
#[derive(Debug, Default)]
pub struct Completions {
    pub tables: Vec<String>,
    pub columns: Vec<String>,
    /// The engine's functions; empty means Athena's usual ones.
    pub functions: Vec<String>,
    pub queries: Vec<String>,
}

impl Completions {
    /// Candidates for the word ending at `pos`, and where that word starts.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '\\')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        let lead = before.trim_start();
        if lead.starts_with('\\') {
            let args: Vec<&str> = lead.split_whitespace().collect();
            let first_arg = args.len() == 1 && lead.ends_with(char::is_whitespace)
                || args.len() == 2 && !lead.ends_with(char::is_whitespace);
            let pool: Vec<&str> = if start == line.len() - lead.len() {
                COMMANDS.to_vec()
            } else if !first_arg {
                Vec::new()
            } else {
                match args[0] {
                    "\\format" => FORMATS.to_vec(),
                    "\\engine" => ENGINES.to_vec(),
                    "\\run" => self.queries.iter().map(String::as_str).collect(),
                    _ => Vec::new(),
                }
            };
            return (start, matching(pool.into_iter(), word, false));
        }
        if word.is_empty() {
            return (start, Vec::new());
        }
        let functions: Vec<&str> = if self.functions.is_empty() {
            crate::engine::local::names::TRINO.to_vec()
        } else {
            self.functions.iter().map(String::as_str).collect()
        };
        let mut out = matching(
            self.tables.iter().chain(&self.columns).map(String::as_str).chain(functions),
            word,
            false,
        );
        out.extend(matching(KEYWORDS.iter().copied(), word, true));
        out.sort();
        out.dedup();
        (start, out)
    }
}

/// The names that start with `word` (ignoring case); keywords in the case the word is typed in.
fn matching<'a>(names: impl Iterator<Item = &'a str>, word: &str, keyword: bool) -> Vec<String> {
    let lower = word.to_lowercase();
    names
        .filter(|n| n.to_lowercase().starts_with(&lower))
        .map(
            |n| {
                if keyword && word.chars().any(char::is_lowercase) { n.to_lowercase() } else { n.to_string() }
            },
        )
        .collect()
}

/// The shell's line-editing helper: completion only.
#[derive(Debug, Default)]
pub struct ShellHelper {
    pub completions: Completions,
}

impl Completer for ShellHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.completions.candidates(line, pos))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn c() -> Completions {
        Completions {
            tables: vec!["vpc_flow_logs".into(), "default.vpc_flow_logs".into()],
            columns: vec!["srcaddr".into(), "srcport".into(), "dstaddr".into()],
            functions: vec![],
            queries: vec!["reject-top".into(), "rejected".into(), "find-ip".into()],
        }
    }

    #[test]
    fn completes_sql_words() {
        let line = "SELECT src";
        assert_eq!(c().candidates(line, line.len()), (7, vec!["srcaddr".to_string(), "srcport".to_string()]));
        let line = "select x from vpc";
        assert_eq!(c().candidates(line, line.len()).1, ["vpc_flow_logs"]);
        let line = "sel";
        assert_eq!(c().candidates(line, line.len()).1, ["select"]);
        let line = "SELECT COUNT_";
        assert_eq!(c().candidates(line, line.len()).1, ["count_if"]);
        let line = "SELECT ";
        assert!(c().candidates(line, line.len()).1.is_empty());
    }

    #[test]
    fn completes_commands_and_their_arguments() {
        assert_eq!(c().candidates("\\fo", 3), (0, vec!["\\format".to_string()]));
        assert_eq!(c().candidates("\\format c", 9), (8, vec!["csv".to_string()]));
        assert_eq!(
            c().candidates("\\run rej", 8),
            (5, vec!["reject-top".to_string(), "rejected".to_string()])
        );
        assert_eq!(c().candidates("\\engine ", 8).1, ["local", "athena"]);
        assert!(c().candidates("\\run reject-top --da", 20).1.is_empty());
    }
}
