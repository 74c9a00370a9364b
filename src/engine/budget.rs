//! The scan limit (`--max-scan`, `max_scan:`), held where Athena statements start: the Athena
//! engine asks it before every StartQueryExecution, whichever command the statement came from, so
//! a new path cannot skip it. A statement is read (sqlparser) for the tables it reads: none (DDL,
//! SHOW, metadata tables, `SELECT 1`) costs nothing; the configured table is estimated from S3
//! (`estimate`) over the window athq gave it (`Scope`) or, for SQL athq did not write, over every
//! partition; any other table, or SQL athq cannot parse, is unknown and refused while a limit is
//! set. Estimates are kept per statement for the run, so checking a report's sections before the
//! first starts lists S3 once.

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{ObjectName, Query, Statement, TableFactor, Visit, Visitor};
use datafusion::sql::sqlparser::dialect::GenericDialect;
use datafusion::sql::sqlparser::parser::Parser;

use crate::engine::estimate::{self, Cost, Listed};
use crate::engine::{EngineError, Notify, Planned, RunOptions, human_bytes};
use crate::render::TimeWindow;
use crate::table::TableProfile;

/// What a statement reads, from its SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// No table's data.
    Nothing,
    /// The configured table, and no other.
    Table,
    /// Something else: the names, as written.
    Other(Vec<String>),
}

/// Collects the tables a statement's FROM and JOIN clauses name, leaving out its CTEs.
#[derive(Default)]
struct Tables {
    ctes: Vec<String>,
    names: Vec<ObjectName>,
}

impl Visitor for Tables {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.ctes.extend(with.cte_tables.iter().map(|c| c.alias.name.value.to_ascii_lowercase()));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table { name, .. } = factor {
            self.names.push(name.clone());
        }
        ControlFlow::Continue(())
    }
}

/// Which tables `sql` reads, as far as the scan limit is concerned: `catalog` is the configured
/// catalog (AwsDataCatalog), `table` the configured table.
pub fn reads(sql: &str, table: &TableProfile, catalog: &str) -> Reads {
    let named = match Parser::parse_sql(&GenericDialect {}, sql) {
        Ok(statements) => parsed_tables(&statements),
        // Trino SQL the generic parser does not take (`IPADDRESS '10.0.0.1'`, lambdas, …), or
        // Hive DDL: read from its tokens instead.
        Err(_) => token_tables(sql).map(|(mut names, ctes)| {
            // What the tokens do not place but names the table is taken to read it.
            let name = table.name.to_ascii_lowercase();
            if names.is_empty() && !starts_with_ddl(sql) && crate::sql::code_words(sql).contains(&name) {
                names.push(vec![name]);
            }
            (names, ctes)
        }),
    };
    let (names, ctes) = match named {
        Ok(n) => n,
        Err(why) => return Reads::Other(vec![why]),
    };
    let mut other = Vec::new();
    let mut known = false;
    for parts in &names {
        let Some((last, qualifiers)) = parts.split_last() else { continue };
        if qualifiers.is_empty() && ctes.contains(last) {
            continue;
        }
        // Metadata: the information schema and `"table$partitions"` scan no data.
        if last.contains('$') || qualifiers.last().is_some_and(|q| q == "information_schema") {
            continue;
        }
        let (name, db) = (table.name.to_ascii_lowercase(), table.database.to_ascii_lowercase());
        let is_table = *last == name
            && match qualifiers {
                [] => true,
                [d] => *d == db,
                [c, d] => *c == catalog.to_ascii_lowercase() && *d == db,
                _ => false,
            };
        match is_table {
            true => known = true,
            false => other.push(parts.join(".")),
        }
    }
    match (known, other.is_empty()) {
        (_, false) => Reads::Other(other),
        (true, true) => Reads::Table,
        (false, true) => Reads::Nothing,
    }
}

/// Table names (their parts, lowercased) and CTE names.
type Named = Result<(Vec<Vec<String>>, Vec<String>), String>;

fn parsed_tables(statements: &[Statement]) -> Named {
    let mut tables = Tables::default();
    for s in statements {
        match s {
            // These scan nothing, whatever they name.
            Statement::CreateView { .. } | Statement::ExplainTable { .. } => {}
            Statement::Explain { analyze: false, .. } => {}
            Statement::Execute { .. } => return Err("a prepared statement (EXECUTE)".into()),
            s => {
                let _ = s.visit(&mut tables);
            }
        }
    }
    let names = tables
        .names
        .iter()
        .map(|n| {
            n.0.iter()
                .map(|p| p.as_ident().map(|i| i.value.to_ascii_lowercase()).unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((names, tables.ctes))
}

/// The tables named after a query's FROM (at the depth of its SELECT, so `EXTRACT(day FROM x)`
/// is not one) or JOIN, from the statement's tokens; CTEs are the names before `AS (` that follow
/// WITH or a comma.
fn token_tables(sql: &str) -> Named {
    use datafusion::sql::sqlparser::keywords::Keyword;
    use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};
    if starts_with_ddl(sql) {
        return Ok((Vec::new(), Vec::new()));
    }
    let words = crate::sql::code_words(sql);
    match words.first().map(String::as_str).unwrap_or_default() {
        "explain" if words.get(1).is_none_or(|w| w != "analyze") => return Ok((Vec::new(), Vec::new())),
        "execute" => return Err("a prepared statement (EXECUTE)".into()),
        _ => {}
    }
    let tokens: Vec<Token> = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .map_err(|e| format!("SQL athq cannot read to tell what it scans ({e})"))?
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(w),
        _ => None,
    };
    // The name that starts at `i` (`a`, `db.a`, `"cat"."db"."a"`) and the index after it; not a
    // function call.
    let name_at = |mut i: usize| {
        let mut parts = vec![word(i)?.value.to_ascii_lowercase()];
        while tokens.get(i + 1) == Some(&Token::Period) {
            parts.push(word(i + 2)?.value.to_ascii_lowercase());
            i += 2;
        }
        (tokens.get(i + 1) != Some(&Token::LParen)).then_some((parts, i + 1))
    };
    let (mut names, mut ctes) = (Vec::new(), Vec::new());
    let mut selects = vec![false];
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::LParen => selects.push(false),
            Token::RParen => {
                selects.pop();
                if selects.is_empty() {
                    selects.push(false);
                }
            }
            Token::Word(w) if matches!(w.keyword, Keyword::SELECT | Keyword::DELETE) => {
                if let Some(top) = selects.last_mut() {
                    *top = true;
                }
            }
            Token::Word(w) if w.keyword == Keyword::AS && tokens.get(i + 1) == Some(&Token::LParen) => {
                let before = i.checked_sub(2).and_then(|j| tokens.get(j));
                let is_cte = matches!(before, Some(Token::Comma))
                    || matches!(before, Some(Token::Word(b)) if matches!(b.keyword, Keyword::WITH | Keyword::RECURSIVE));
                if let (true, Some(w)) = (is_cte, i.checked_sub(1).and_then(word)) {
                    ctes.push(w.value.to_ascii_lowercase());
                }
            }
            Token::Word(w)
                if w.keyword == Keyword::JOIN
                    || (w.keyword == Keyword::FROM && selects.last() == Some(&true)) =>
            {
                // `FROM a x, b AS y`: each name of the list.
                let mut at = i + 1;
                while let Some((parts, next)) = name_at(at) {
                    names.push(parts);
                    let mut j = next;
                    while matches!(tokens.get(j), Some(Token::Word(w)) if matches!(w.keyword, Keyword::AS | Keyword::NoKeyword))
                    {
                        j += 1;
                    }
                    if tokens.get(j) != Some(&Token::Comma) {
                        break;
                    }
                    at = j + 1;
                }
            }
            _ => {}
        }
    }
    Ok((names, ctes))
}

/// Statements that read no data by their first words: DDL and utility statements.
fn starts_with_ddl(sql: &str) -> bool {
    let words = crate::sql::code_words(sql);
    match words.first().map(String::as_str).unwrap_or_default() {
        "alter" | "drop" | "msck" | "show" | "describe" | "desc" | "use" => true,
        // CREATE TABLE … AS SELECT reads; CREATE EXTERNAL TABLE, DATABASE, VIEW do not.
        "create" => !words.iter().any(|w| w == "select"),
        _ => false,
    }
}

/// The scan limit, and what the statements of this run were estimated at.
pub struct Budget {
    limit: Option<u64>,
    table: TableProfile,
    catalog: String,
    s3: aws_sdk_s3::Client,
    notify: Notify,
    /// The run's clock (`ATHQ_NOW` in tests): ad-hoc SQL's window ends here, as `exec`'s does.
    now: jiff::Timestamp,
    known: tokio::sync::Mutex<HashMap<String, Cost>>,
}

impl Budget {
    pub fn new(
        limit: Option<u64>,
        table: TableProfile,
        catalog: String,
        s3: aws_sdk_s3::Client,
        notify: Notify,
        now: jiff::Timestamp,
    ) -> Budget {
        Budget { limit, table, catalog, s3, notify, now, known: Default::default() }
    }

    /// What the statement would scan: estimated once a run.
    pub async fn cost(&self, sql: &str, opts: &RunOptions) -> Result<Cost, EngineError> {
        let key = format!("{sql}\0{:?}", opts.scope);
        let mut known = self.known.lock().await;
        if let Some(c) = known.get(&key) {
            return Ok(c.clone());
        }
        let cost = match reads(sql, &self.table, &self.catalog) {
            Reads::Nothing => Cost::Free,
            Reads::Other(names) => Cost::Unknown(format!("it reads {}", names.join(", "))),
            Reads::Table => {
                let (window, columns) = match &opts.scope {
                    Some(scope) => (scope.window, scope.columns.clone()),
                    None => {
                        let everything = TimeWindow::everything(self.now);
                        (everything, estimate::columns_in(sql, &self.table))
                    }
                };
                let e = estimate::estimate(&self.s3, &self.table, &window, &columns).await?;
                if e.listed == Listed::Location {
                    (self.notify)(&format!(
                        "note: the estimate lists all of {} (every account's and region's objects): set table.accounts and table.regions to list only the table's",
                        self.table.location.as_deref().unwrap_or_default()
                    ));
                }
                Cost::Reads(e)
            }
        };
        known.insert(key, cost.clone());
        Ok(cost)
    }

    /// SQL athq did not write that reads the table and names none of its partition columns reads
    /// every partition: said before it starts (or is estimated), limit or not.
    pub fn warn_unpartitioned(&self, sql: &str, opts: &RunOptions) {
        if opts.scope.is_some() || reads(sql, &self.table, &self.catalog) != Reads::Table {
            return;
        }
        let columns = self.table.partition_columns();
        if columns.is_empty() {
            return;
        }
        // Quoted names count: `"day" = '2026/11/20'` is a predicate.
        let words: Vec<String> =
            sql.split(|c: char| !(c.is_alphanumeric() || c == '_')).map(str::to_lowercase).collect();
        if !columns.iter().any(|c| words.contains(&c.name.to_lowercase())) {
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            (self.notify)(&format!(
                "warning: the SQL has no predicate on the partition columns ({}): it scans every partition",
                names.join(", ")
            ));
        }
    }

    /// Refuses a statement over the limit, or one that cannot be estimated while a limit is set.
    pub async fn admit(&self, sql: &str, opts: &RunOptions) -> Result<(), EngineError> {
        self.admit_all(&[Planned { label: "", sql, opts }]).await
    }

    /// Refuses statements to run together when one of them is over the limit, naming each.
    pub async fn admit_all(&self, statements: &[Planned<'_>]) -> Result<(), EngineError> {
        let Some(max) = self.limit else { return Ok(()) };
        let mut refused = Vec::new();
        for p in statements {
            let why = match self.cost(p.sql, p.opts).await? {
                Cost::Reads(e) if e.bytes > max => e.describe(),
                Cost::Unknown(why) => format!("cannot be estimated: {why}"),
                _ => continue,
            };
            refused.push((p.label, why));
        }
        let limit = limit_text(max);
        let message = match refused.as_slice() {
            [] => return Ok(()),
            [("", why)] if why.starts_with("cannot") => {
                format!("not started: the statement {why}, and a scan limit of {limit} is set")
            }
            [("", why)] => format!("not started: the query {why}, more than the limit of {limit}"),
            many => format!(
                "nothing started: {} of {} statement(s) over the scan limit of {limit}:\n{}",
                many.len(),
                statements.len(),
                many.iter().map(|(label, why)| format!("  {label}: {why}")).collect::<Vec<_>>().join("\n")
            ),
        };
        let hint = if refused.iter().any(|(_, why)| why.starts_with("cannot")) {
            "athq estimates only the configured table (table.name in athq.yaml); --max-scan none runs this without a limit"
        } else {
            "narrow the window (--days, --hours, --from/--to), or raise the limit: --max-scan SIZE, or max_scan in athq.yaml (--max-scan none: no limit for this run)"
        };
        Err(EngineError::OverLimit { message, hint: hint.into() })
    }
}

/// The limit as a reader can compare it with an estimate: its exact bytes too.
fn limit_text(max: u64) -> String {
    format!("{} ({max} bytes)", human_bytes(max as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> TableProfile {
        let mut t = TableProfile::new_default();
        t.database = "flowdb".into();
        t
    }

    #[test]
    fn what_a_statement_reads() {
        let t = t();
        let r = |sql: &str| reads(sql, &t, "AwsDataCatalog");
        assert_eq!(r("SELECT srcaddr, SUM(bytes) FROM vpc_flow_logs GROUP BY 1"), Reads::Table);
        assert_eq!(
            r("SELECT * FROM \"flowdb\".\"vpc_flow_logs\" a JOIN vpc_flow_logs b ON a.x = b.x"),
            Reads::Table
        );
        assert_eq!(r("SELECT 1 FROM awsdatacatalog.flowdb.VPC_FLOW_LOGS"), Reads::Table);
        assert_eq!(r("SELECT * FROM other_table"), Reads::Other(vec!["other_table".into()]));
        assert_eq!(
            r("SELECT * FROM otherdb.vpc_flow_logs"),
            Reads::Other(vec!["otherdb.vpc_flow_logs".into()])
        );
        assert_eq!(
            r(
                "WITH x AS (SELECT srcaddr FROM vpc_flow_logs) SELECT * FROM x WHERE srcaddr IN (SELECT a FROM y)"
            ),
            Reads::Other(vec!["y".into()])
        );
        assert_eq!(r("WITH x AS (SELECT 1 AS a) SELECT * FROM x"), Reads::Nothing);
        assert_eq!(r("SELECT 1"), Reads::Nothing);
        assert_eq!(r("SELECT * FROM information_schema.columns"), Reads::Nothing);
        assert_eq!(r("SELECT * FROM \"vpc_flow_logs$partitions\""), Reads::Nothing);
        assert_eq!(
            r("INSERT INTO copy SELECT * FROM flowdb.vpc_flow_logs WHERE day = '2026/11/20'"),
            Reads::Table
        );
        assert_eq!(
            r(
                "CREATE TABLE flowdb.copy WITH (format = 'PARQUET', partitioned_by = ARRAY['day']) AS SELECT * FROM vpc_flow_logs"
            ),
            Reads::Table
        );
        assert_eq!(r("CREATE VIEW v AS SELECT * FROM vpc_flow_logs"), Reads::Nothing);
        assert_eq!(r("EXPLAIN SELECT * FROM vpc_flow_logs"), Reads::Nothing);
        assert_eq!(r("EXPLAIN ANALYZE SELECT * FROM vpc_flow_logs"), Reads::Table);
        assert_eq!(r("MSCK REPAIR TABLE vpc_flow_logs"), Reads::Nothing);
        assert_eq!(r("SHOW PARTITIONS vpc_flow_logs"), Reads::Nothing);
        assert_eq!(r("DESCRIBE vpc_flow_logs"), Reads::Nothing);
        assert_eq!(
            r(
                "ALTER TABLE vpc_flow_logs ADD IF NOT EXISTS PARTITION (day = '2026/11/20') LOCATION 's3://b/x/'"
            ),
            Reads::Nothing
        );
        assert_eq!(
            r(
                "CREATE EXTERNAL TABLE IF NOT EXISTS t (a int) PARTITIONED BY (day string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ' ' LOCATION 's3://b/' TBLPROPERTIES ('skip.header.line.count'='1')"
            ),
            Reads::Nothing
        );
        assert!(matches!(r("EXECUTE reject_top USING 3"), Reads::Other(_)));
        // Trino the generic parser does not take is read from its tokens.
        let trino = "WITH a AS (SELECT srcaddr FROM vpc_flow_logs WHERE TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.0.0.1'), \
                     b AS (SELECT EXTRACT(day FROM from_unixtime(\"start\")) AS d, srcaddr FROM flowdb.vpc_flow_logs) \
                     SELECT * FROM a JOIN b ON a.srcaddr = b.srcaddr, UNNEST(ARRAY[1]) AS u(x)";
        assert!(Parser::parse_sql(&GenericDialect {}, trino).is_err());
        assert_eq!(r(trino), Reads::Table);
        assert_eq!(
            r(
                "SELECT * FROM vpc_flow_logs v, other o WHERE TRY_CAST(v.srcaddr AS IPADDRESS) = IPADDRESS '10.0.0.1'"
            ),
            Reads::Other(vec!["other".into()])
        );
        assert_eq!(
            r(
                "SELECT x FROM (SELECT substring(a FROM 2) AS x FROM other) WHERE IPADDRESS '10.0.0.1' IS NOT NULL"
            ),
            Reads::Other(vec!["other".into()])
        );
        assert!(matches!(r("SELECT 'unterminated FROM vpc_flow_logs"), Reads::Other(_)));
        // SQL not even the tokens make sense of, that names the table, counts as reading it.
        assert_eq!(r("SELEC * FROM vpc_flow_logs"), Reads::Table);
        assert_eq!(r("SELEC broken FROM"), Reads::Nothing);
    }

    /// Every library query, rendered for Athena, is read as reading the table and nothing else:
    /// none is refused as unknown under a limit.
    #[test]
    fn every_library_query_reads_the_table() {
        let lib = crate::library::Library::load(&[]).unwrap();
        let mut table = TableProfile::new_default();
        table.fields = crate::table::FieldSet::parse("all").unwrap();
        let window = TimeWindow::everything(jiff::Timestamp::now());
        let ctx = crate::render::RenderContext {
            table: &table,
            vpc_cidrs: &["10.0.0.0/8".parse().unwrap()],
            window,
            dialect: crate::render::Dialect::Athena,
            relative: None,
        };
        for q in lib.iter() {
            let sql = crate::render::render(q, &q.sample_params(), &ctx).unwrap();
            assert_eq!(reads(&sql, &table, "AwsDataCatalog"), Reads::Table, "{}:\n{sql}", q.name);
        }
    }
}
