//! The template renderer: turns a saved query, the user's parameter values, a time window and the
//! configured table into the exact SQL that will run. Rendering is strict: unknown, missing or
//! invalid parameters, fields the table lacks, and template errors are reported with the query,
//! parameter and line involved. It does not run SQL or read settings files.

pub mod dialect;
pub mod window;

use std::sync::Arc;

use ipnet::IpNet;
use minijinja::Value;

pub use dialect::Dialect;
pub use window::{TimeWindow, WindowSpec};

use crate::library::params::{DefaultFrom, ParamError};
use crate::library::{Query, edit_distance};
use crate::sql;
use crate::table::{Field, TableProfile};

/// Everything besides the query and its parameters that shapes the SQL.
#[derive(Debug, Clone)]
pub struct RenderContext<'a> {
    pub table: &'a TableProfile,
    pub vpc_cidrs: &'a [IpNet],
    pub window: TimeWindow,
    pub dialect: Dialect,
    /// Render the window as "the last N before the query runs" instead of fixed times (saved
    /// queries); `window_start`/`window_end` are then undefined.
    pub relative: Option<jiff::SignedDuration>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("query `{query}` has no parameter `{param}`")]
    UnknownParam { query: String, param: String, known: Vec<String> },
    #[error("`{0}` is not of the form name=value")]
    BadParamSyntax(String),
    #[error("parameter `{param}` is given twice")]
    DuplicateParam { param: String },
    #[error("query `{query}`, parameter `{param}` ({file} line {line}): {source}")]
    InvalidParam { query: String, param: String, file: String, line: usize, source: Box<ParamError> },
    #[error("query `{query}` needs parameter `{param}` ({file} line {line}), which has no default")]
    MissingParam { query: String, param: String, file: String, line: usize },
    #[error("query `{query}`, parameter `{param}`: no internal networks are configured")]
    NoVpcCidrs { query: String, param: String },
    #[error(
        "query `{query}` needs {} (format v{version} or later), which table `{table}` (fields: {fieldset}) does not have",
        missing.iter().map(|f| format!("`{}`", f.aws_name)).collect::<Vec<_>>().join(", ")
    )]
    MissingFields {
        query: String,
        table: String,
        fieldset: String,
        missing: Vec<&'static Field>,
        version: u8,
    },
    #[error("query `{query}` ({file} line {line}): {message}")]
    Template { query: String, file: String, line: usize, message: String },
}

/// Splits `name=value`.
pub fn parse_assignment(text: &str) -> Result<(String, String), RenderError> {
    let (k, v) = text.split_once('=').ok_or_else(|| RenderError::BadParamSyntax(text.to_string()))?;
    let k = k.trim();
    if k.is_empty() {
        return Err(RenderError::BadParamSyntax(text.to_string()));
    }
    Ok((k.to_string(), v.to_string()))
}

impl RenderError {
    /// What to do about it, for the `hint:` line.
    pub fn hint(&self) -> Option<String> {
        match self {
            RenderError::UnknownParam { param, known, .. } => {
                let close = known
                    .iter()
                    .min_by_key(|k| edit_distance(k, param))
                    .filter(|k| edit_distance(k, param) <= 2);
                let list = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                Some(match close {
                    Some(k) => format!("did you mean `{k}`? its parameters: {list}"),
                    None => format!("its parameters: {list}"),
                })
            }
            RenderError::BadParamSyntax(_) => Some("write --param name=value, e.g. --param limit=10".into()),
            RenderError::DuplicateParam { param } => Some(format!("give --param {param}=… once")),
            RenderError::InvalidParam { query, .. } => {
                Some(format!("`athq show {query}` lists its parameters with their types and bounds"))
            }
            RenderError::MissingParam { param, .. } => Some(format!("pass --param {param}=…")),
            RenderError::NoVpcCidrs { param, .. } => Some(format!(
                "set vpc_cidrs in athq.yaml (or ATHQ_VPC_CIDRS), or pass --param {param}=10.0.0.0/16"
            )),
            RenderError::MissingFields { missing, version, .. } => Some(format!(
                "the flow log must record {} (format v{version}, or a custom format with them); then set \
                 table.fields to match in athq.yaml (render and table commands also take --fields)",
                missing.iter().map(|f| f.aws_name).collect::<Vec<_>>().join(", ")
            )),
            _ => None,
        }
    }
}

/// Validates parameter values against the query's declarations and fills in defaults.
fn bind_params(
    query: &Query,
    given: &[(String, String)],
    ctx: &RenderContext,
    slots: bool,
) -> Result<Vec<(String, Value)>, RenderError> {
    let file = query.source.path();
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in given {
        if query.param(name).is_none() {
            return Err(RenderError::UnknownParam {
                query: query.name.clone(),
                param: name.clone(),
                known: query.params.iter().map(|p| p.name.clone()).collect(),
            });
        }
        if seen.contains(&name.as_str()) {
            return Err(RenderError::DuplicateParam { param: name.clone() });
        }
        seen.push(name);
    }
    let mut bound = Vec::new();
    for (i, spec) in query.params.iter().enumerate() {
        let line = query.param_lines[i];
        let invalid = |source| RenderError::InvalidParam {
            query: query.name.clone(),
            param: spec.name.clone(),
            file: file.clone(),
            line,
            source: Box::new(source),
        };
        let value = match given.iter().find(|(n, _)| *n == spec.name) {
            Some((_, text)) => spec.parse(text).map_err(invalid)?,
            None => match (&spec.default, spec.default_from) {
                (Some(d), _) => spec.parse_default(d).map_err(invalid)?,
                // With none configured the parameter stays undefined: a query that does not use it
                // (in this rendering) still renders, and one that does gets NoVpcCidrs.
                (None, Some(DefaultFrom::VpcCidrs)) if ctx.vpc_cidrs.is_empty() => Value::UNDEFINED,
                (None, Some(DefaultFrom::VpcCidrs)) => {
                    Value::from(ctx.vpc_cidrs.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                }
                (None, None) if slots => sql::slot(&spec.name),
                (None, None) => {
                    return Err(RenderError::MissingParam {
                        query: query.name.clone(),
                        param: spec.name.clone(),
                        file: file.clone(),
                        line,
                    });
                }
            },
        };
        bound.push((spec.name.clone(), value));
    }
    Ok(bound)
}

/// Fails when the table lacks fields the query needs, naming them and the version that has them.
pub fn check_fields(query: &Query, table: &TableProfile) -> Result<(), RenderError> {
    let missing: Vec<&'static Field> =
        query.fields.iter().copied().filter(|f| !table.fields.contains_column(&f.column())).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(RenderError::MissingFields {
        query: query.name.clone(),
        table: table.name.clone(),
        fieldset: table.fields.label().to_string(),
        version: missing.iter().map(|f| f.version).max().unwrap_or(2),
        missing,
    })
}

/// The table as the SQL names it.
fn table_reference(table: &TableProfile, dialect: Dialect) -> String {
    match dialect {
        Dialect::Athena => format!("{}.{}", sql::ident(&table.database), sql::ident(&table.name)),
        Dialect::Local => sql::ident(&table.name),
    }
}

/// Renders `query` to SQL. `params` are the user's `name=value` pairs.
pub fn render(
    query: &Query,
    params: &[(String, String)],
    ctx: &RenderContext,
) -> Result<String, RenderError> {
    render_inner(query, params, ctx, false)
}

/// A query rendered for Athena with a `?` for each use of a parameter that has no default, to be
/// given as an execution parameter when it runs (named queries and prepared statements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameterised {
    pub sql: String,
    /// The parameter each `?` stands for, in order (a parameter used twice has two).
    pub slots: Vec<String>,
}

impl Parameterised {
    /// What to pass for each `?`, for a description: `?1, ?2 = ip (The address; a quoted
    /// literal such as '10.0.0.5')`. Empty when there are none.
    pub fn describe(&self, query: &Query) -> String {
        let mut parts = Vec::new();
        let mut done: Vec<&str> = Vec::new();
        for name in &self.slots {
            if done.contains(&name.as_str()) {
                continue;
            }
            done.push(name);
            let marks: Vec<String> = self
                .slots
                .iter()
                .enumerate()
                .filter(|(_, n)| *n == name)
                .map(|(i, _)| format!("?{}", i + 1))
                .collect();
            let about = query.param(name).map(|(_, p)| p.description.trim().to_string()).unwrap_or_default();
            let example = query.param(name).map(|(_, p)| p.ty.example()).unwrap_or("'text'");
            let about = if about.is_empty() { String::new() } else { format!("{about}; ") };
            parts.push(format!("{} = {name} ({about}a literal such as {example})", marks.join(", ")));
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("Execution parameters: {}.", parts.join("; "))
    }
}

/// Renders `query` for Athena, leaving each parameter without a value or default as `?`.
pub fn render_parameterised(query: &Query, ctx: &RenderContext) -> Result<Parameterised, RenderError> {
    let text = render_inner(query, &[], ctx, true)?;
    let (sql, slots) = sql::slots_to_placeholders(&text).ok_or_else(|| RenderError::Template {
        query: query.name.clone(),
        file: query.source.path(),
        line: 0,
        message: "a parameter without a default is used where a `?` cannot stand".into(),
    })?;
    Ok(Parameterised { sql, slots })
}

fn render_inner(
    query: &Query,
    params: &[(String, String)],
    ctx: &RenderContext,
    slots: bool,
) -> Result<String, RenderError> {
    check_fields(query, ctx.table)?;
    let bound = bind_params(query, params, ctx, slots)?;
    let file = query.source.path();

    let mut env = sql::environment();
    let dialect = ctx.dialect;
    let declared: Arc<Vec<String>> = Arc::new(query.fields.iter().map(|f| f.column()).collect());

    let time_filter = match ctx.relative {
        Some(last) => window::relative_predicate(last, ctx.table),
        None => {
            let mut parts = Vec::new();
            if dialect == Dialect::Athena {
                parts.extend(ctx.window.partition_predicate(ctx.table));
            }
            parts.push(ctx.window.record_predicate(ctx.table.kind()));
            parts.join("\n  AND ")
        }
    };
    env.add_function("time_filter", move || sql::safe(time_filter.clone()));
    let d = declared.clone();
    env.add_function("cidr_match", move |col: String, cidrs: Value| {
        dialect::cidr_match(dialect, &dialect::column(&d, &col)?, &cidrs)
    });
    let d = declared.clone();
    env.add_function("ip_match", move |col: String, ip: Value| {
        dialect::ip_match(dialect, &dialect::column(&d, &col)?, &ip)
    });
    let d = declared;
    env.add_function("protocol_name", move |col: String| {
        Ok::<_, minijinja::Error>(dialect::protocol_name(&dialect::column(&d, &col)?))
    });
    env.add_function("port_list", move |port: String, count: String, rank: String, top: Value| {
        dialect::port_list(dialect, &port, &count, &rank, &top)
    });
    env.add_function("median", move |col: String| dialect::median(dialect, &col));
    // The window's end in epoch seconds, as SQL: a literal, or the time the query runs.
    let window_end = match ctx.relative {
        Some(_) => "to_unixtime(current_timestamp)".to_string(),
        None => ctx.window.to.as_second().to_string(),
    };
    env.add_function("end_of_window", move || sql::safe(window_end.clone()));

    let template_error = |e: minijinja::Error| RenderError::Template {
        query: query.name.clone(),
        file: file.clone(),
        line: e.line().unwrap_or(0),
        message: match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        },
    };
    env.add_template_owned(file.clone(), query.template.clone()).map_err(template_error)?;

    let mut context: Vec<(String, Value)> = bound;
    context.push(("table".into(), sql::safe(table_reference(ctx.table, dialect))));
    context.push(("dialect".into(), Value::from(dialect.name())));
    if ctx.relative.is_none() {
        context.push(("window_start".into(), Value::from(ctx.window.from.as_second())));
        context.push(("window_end".into(), Value::from(ctx.window.to.as_second())));
    }
    let context: Value = context.into_iter().collect();

    let out = env.get_template(&file).and_then(|t| t.render(context)).map_err(|e| {
        let unset = query.params.iter().find(|p| {
            p.default_from == Some(DefaultFrom::VpcCidrs) && !params.iter().any(|(n, _)| *n == p.name)
        });
        match unset {
            Some(p) if ctx.vpc_cidrs.is_empty() && format!("{e:#}").contains(dialect::NO_NETWORKS) => {
                RenderError::NoVpcCidrs { query: query.name.clone(), param: p.name.clone() }
            }
            _ => template_error(e),
        }
    })?;
    let sql = tidy(&out);
    Ok(match dialect {
        Dialect::Athena => format!("{sql}\n{PROVENANCE}{} v{}", query.name, query.version),
        Dialect::Local => sql,
    })
}

/// How Athena SQL rendered from the library ends: `-- athq: NAME vVERSION`, so that the statement
/// says where it came from in the console's history and in `athq history`.
pub const PROVENANCE: &str = "-- athq: ";

/// Drops the blank lines left where the header was, and trailing spaces.
fn tidy(sql: &str) -> String {
    let lines: Vec<&str> = sql.lines().map(str::trim_end).collect();
    let start = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(start, |i| i + 1);
    lines[start..end].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Source, parse_query};
    use crate::render::window::parse_time;

    fn query(template: &str, params: &str, fields: &str) -> Query {
        let text = format!(
            "/*\nname: t\nversion: 1\ntitle: T\nparams:\n{params}\nfields: [{fields}]\n*/\n{template}"
        );
        parse_query(&text, Source::File("t.sql".into()), "t").unwrap()
    }

    fn ctx<'a>(table: &'a TableProfile, cidrs: &'a [IpNet]) -> RenderContext<'a> {
        let now = parse_time("2026-11-22T10:26:29Z").unwrap();
        RenderContext {
            table,
            vpc_cidrs: cidrs,
            window: TimeWindow::resolve(&WindowSpec::Last(jiff::SignedDuration::from_hours(72)), now)
                .unwrap(),
            dialect: Dialect::Athena,
            relative: None,
        }
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn renders_window_table_and_params() {
        let t = TableProfile::new_default();
        let q = query(
            "SELECT srcaddr FROM {{ table }}\nWHERE {{ time_filter() }}\n  AND srcaddr = {{ src|str }}\nLIMIT {{ limit }}",
            "  limit: {type: int, default: 10}\n  src: {type: string}",
            "srcaddr",
        );
        let sql = render(&q, &[p("src", "a'b")], &ctx(&t, &[])).unwrap();
        assert_eq!(
            sql,
            "SELECT srcaddr FROM \"default\".\"vpc_flow_logs\"\nWHERE \"day\" BETWEEN '2026/11/19' AND '2026/11/22'\n  AND \"end\" >= 1795083960 AND \"start\" < 1795343160\n  AND srcaddr = 'a''b'\nLIMIT 10\n-- athq: t v1"
        );
    }

    #[test]
    fn parameters_without_defaults_become_placeholders() {
        let t = TableProfile::new_default();
        let q = query(
            "SELECT srcaddr FROM {{ table }}\nWHERE {{ ip_match('srcaddr', ip) }} OR {{ ip_match('dstaddr', ip) }}\nLIMIT {{ limit }}",
            "  ip: {type: ip, description: The address}\n  limit: {type: int, default: 10}",
            "srcaddr, dstaddr",
        );
        let p = render_parameterised(&q, &ctx(&t, &[])).unwrap();
        assert_eq!(
            p.sql,
            "SELECT srcaddr FROM \"default\".\"vpc_flow_logs\"\nWHERE TRY_CAST(srcaddr AS IPADDRESS) = CAST(? AS IPADDRESS) OR TRY_CAST(dstaddr AS IPADDRESS) = CAST(? AS IPADDRESS)\nLIMIT 10\n-- athq: t v1"
        );
        assert_eq!(p.slots, ["ip", "ip"]);
        assert_eq!(
            p.describe(&q),
            "Execution parameters: ?1, ?2 = ip (The address; a literal such as '10.0.0.5')."
        );
        // The embedded engine cannot take a `?` for an address; a list cannot be one either.
        let local = RenderContext { dialect: Dialect::Local, ..ctx(&t, &[]) };
        assert!(render_parameterised(&q, &local).is_err());
        let q = query(
            "SELECT 1 FROM {{ table }} WHERE x IN {{ n|sql_list }}",
            "  n: {type: int, list: true}",
            "srcaddr",
        );
        assert!(render_parameterised(&q, &ctx(&t, &[])).is_err());
    }

    #[test]
    fn parameter_errors_name_query_parameter_and_line() {
        let t = TableProfile::new_default();
        let q = query("SELECT {{ limit }} FROM {{ table }}", "  limit: {type: int, max: 5}", "srcaddr");
        let e = render(&q, &[p("limt", "1")], &ctx(&t, &[])).unwrap_err();
        assert_eq!(e.to_string(), "query `t` has no parameter `limt`");
        assert_eq!(e.hint().unwrap(), "did you mean `limit`? its parameters: limit");
        let e = render(&q, &[], &ctx(&t, &[])).unwrap_err();
        assert_eq!(e.to_string(), "query `t` needs parameter `limit` (t.sql line 6), which has no default");
        let e = render(&q, &[p("limit", "9")], &ctx(&t, &[])).unwrap_err();
        assert_eq!(e.to_string(), "query `t`, parameter `limit` (t.sql line 6): 9 is above the maximum 5");
        let e = render(&q, &[p("limit", "1"), p("limit", "2")], &ctx(&t, &[])).unwrap_err();
        assert!(matches!(e, RenderError::DuplicateParam { .. }));
    }

    #[test]
    fn vpc_cidrs_default_and_missing_fields() {
        let t = TableProfile::new_default();
        let q = query(
            "SELECT 1 FROM {{ table }} WHERE {{ cidr_match('srcaddr', internal) }}",
            "  internal: {type: cidr, list: true, default_from: vpc_cidrs}",
            "srcaddr",
        );
        let e = render(&q, &[], &ctx(&t, &[])).unwrap_err();
        assert!(matches!(e, RenderError::NoVpcCidrs { .. }));
        let nets = ["10.20.0.0/16".parse().unwrap()];
        let sql = render(&q, &[], &ctx(&t, &nets)).unwrap();
        assert!(
            sql.ends_with("WHERE contains('10.20.0.0/16', TRY_CAST(srcaddr AS IPADDRESS))\n-- athq: t v1"),
            "{sql}"
        );

        let q = query("SELECT instance_id FROM {{ table }}", "  {}", "instance-id, srcaddr");
        let e = render(&q, &[], &ctx(&t, &[])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "query `t` needs `instance-id` (format v3 or later), which table `vpc_flow_logs` (fields: v2) does not have"
        );
    }

    #[test]
    fn template_runtime_errors_carry_the_file_line() {
        let t = TableProfile::new_default();
        let q = query(
            "SELECT 1\nFROM {{ table }}\nWHERE {{ cidr_match('dstaddr', '10.0.0.0/8') }}",
            "  {}",
            "srcaddr",
        );
        let e = render(&q, &[], &ctx(&t, &[])).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("query `t` (t.sql line 11): "), "{msg}");
        assert!(msg.contains("not among the query's declared fields"), "{msg}");
    }

    #[test]
    fn local_dialect_drops_partitions_and_qualifiers() {
        let t = TableProfile::new_default();
        let q = query("SELECT 1 FROM {{ table }} WHERE {{ time_filter() }}", "  {}", "srcaddr");
        let mut c = ctx(&t, &[]);
        c.dialect = Dialect::Local;
        assert_eq!(
            render(&q, &[], &c).unwrap(),
            "SELECT 1 FROM \"vpc_flow_logs\" WHERE \"end\" >= 1795083960 AND \"start\" < 1795343160"
        );
    }
}
