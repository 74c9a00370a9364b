//! `athq report`: runs a set of library queries over one window on either engine and writes one
//! self-contained HTML page (src/report).

use std::io::Write;
use std::net::IpAddr;

use crate::cli::OutputArgs;
use crate::cli::ReportArgs;
use crate::commands::resolve::{check_exec_options, local_options, run_options, window_spec};
use crate::commands::{cost, library, open_engine};
use crate::engine::{EngineError, Planned, RunOptions, Scope};
use crate::error::InputError;
use crate::library::{Library, Query};
use crate::output::results::OutputFormat;
use crate::output::{Out, Printer, Spinner};
use crate::render::{self, RenderContext, TimeWindow};
use crate::report::{Report, Section};
use crate::settings::{EngineKind, Settings};

/// The report's queries when --queries is not given; every query tagged `detection` follows.
pub const DEFAULT_QUERIES: &[&str] =
    &["bytes-over-time", "reject-top", "top-talkers", "outbound-well-known-ports", "port-scan"];

/// Private address ranges: what "internal" means when no vpc_cidrs are configured.
const PRIVATE: &[&str] = &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];

/// The sections of a page about one address (`--ip`), before the detections.
pub const IP_QUERIES: &[&str] = &["peer-over-time", "peer"];

fn queries<'a>(lib: &'a Library, names: &[String], ip: bool) -> anyhow::Result<Vec<&'a Query>> {
    if names.is_empty() {
        let first = if ip { IP_QUERIES } else { DEFAULT_QUERIES };
        let mut out: Vec<&Query> = first.iter().map(|n| lib.get(n)).collect::<Result<_, _>>()?;
        out.extend(lib.iter().filter(|q| q.tags.iter().any(|t| t == "detection")));
        return Ok(out);
    }
    Ok(names.iter().map(|n| lib.get(n.trim())).collect::<Result<_, _>>()?)
}

/// `-p QUERY.NAME=VALUE` for one query, `-p NAME=VALUE` for every query that has NAME. A name no
/// chosen query has is a mistake, not something to ignore.
fn params_for(chosen: &[&Query], given: &[String]) -> anyhow::Result<Vec<Vec<(String, String)>>> {
    let mut per_query = vec![Vec::new(); chosen.len()];
    for p in given {
        let (name, value) = render::parse_assignment(p)?;
        let (only, name) = match name.split_once('.') {
            Some((q, n)) => (Some(q.to_string()), n.to_string()),
            None => (None, name),
        };
        let mut used = false;
        for (i, q) in chosen.iter().enumerate() {
            if only.as_ref().is_none_or(|o| *o == q.name) && q.param(&name).is_some() {
                per_query[i].push((name.clone(), value.clone()));
                used = true;
            }
        }
        if !used {
            let whose = only
                .map(|q| format!("query `{q}` in this report"))
                .unwrap_or("no query in this report".into());
            return Err(InputError::new(format!("-p {p}: {whose} has a parameter `{name}`"))
                .hint("`athq show QUERY` lists a query's parameters; -p QUERY.NAME=VALUE sets one query's")
                .into());
        }
    }
    Ok(per_query)
}

/// One section to run: a library query (rendered) or ad-hoc SQL.
struct Item {
    name: String,
    command: String,
    title: String,
    description: String,
    sql: Result<String, String>,
    opts: RunOptions,
    /// Keep only the rows that name this address.
    only: Option<IpAddr>,
}

/// `--ip`: an address, as Trino's IPADDRESS compares them (an IPv4-mapped IPv6 address is IPv4).
fn address(text: &str) -> anyhow::Result<IpAddr> {
    text.trim()
        .parse::<IpAddr>()
        .map(|ip| ip.to_canonical())
        .map_err(|_| InputError::new(format!("--ip {text}: not an IP address")).into())
}

/// The source as a page shows it: an S3 or CloudWatch Logs source as given, a relative path as
/// given, an absolute one by its last two folders (`…/logs/AWSLogs`): no home directory.
fn shown_source(source: &str) -> String {
    let s = source.trim_end_matches('/');
    let relative = !s.starts_with('/') && !s.starts_with('~') && !s.starts_with("..");
    if s.starts_with("s3://") || s.starts_with("logs:") || (relative && !s.is_empty()) {
        return s.to_string();
    }
    let parts: Vec<&str> = s.split('/').filter(|p| !p.is_empty()).collect();
    match parts.len() {
        0 => s.to_string(),
        n => format!("…/{}", parts[n.saturating_sub(2)..].join("/")),
    }
}

/// `--sql NAME=FILE`: the section's name, the file as given, and its statement.
fn adhoc_section(arg: &str) -> anyhow::Result<(String, String, String)> {
    let (name, file) =
        arg.split_once('=').filter(|(n, f)| !n.trim().is_empty() && !f.is_empty()).ok_or_else(|| {
            InputError::new(format!("--sql {arg}: expected NAME=FILE")).hint("--sql incident=incident.sql")
        })?;
    let name = name.trim();
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(
            InputError::new(format!("--sql {arg}: a section name is letters, digits, - and _")).into()
        );
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| InputError::new(format!("--sql {arg}: cannot read {file}: {e}")))?;
    let sql = text.trim().trim_end_matches(';').trim_end();
    if crate::sql::only_comments(sql) {
        return Err(InputError::new(format!("--sql {arg}: {file} holds no statement")).into());
    }
    Ok((name.to_string(), file.to_string(), sql.to_string()))
}

/// The rows of an answer that hold `ip` in some column.
fn naming(mut answer: crate::engine::Answer, ip: IpAddr) -> crate::engine::Answer {
    let names = |cell: &Option<String>| {
        cell.as_deref().and_then(|c| c.trim().parse::<IpAddr>().ok()).is_some_and(|c| c.to_canonical() == ip)
    };
    answer.rows.rows.retain(|row| row.iter().any(names));
    answer
}

pub async fn exec(settings: &Settings, printer: &Printer, args: ReportArgs) -> anyhow::Result<()> {
    let settings = &cost::apply(settings, &args.cost)?;
    check_exec_options(settings, &args.exec)?;
    let lib = library(settings, printer)?;
    let ip = args.ip.as_deref().map(address).transpose()?;
    let chosen = queries(&lib, &args.queries, ip.is_some())?;
    let mut given = args.params.clone();
    if let Some(ip) = ip {
        // Every chosen query that takes an address gets this one, unless told otherwise.
        for q in chosen.iter().filter(|q| q.param("ip").is_some()) {
            if !given.iter().any(|p| p.starts_with("ip=") || p.starts_with(&format!("{}.ip=", q.name))) {
                given.push(format!("{}.ip={ip}", q.name));
            }
        }
    }
    let params = params_for(&chosen, &given)?;
    let adhoc = args.sql.iter().map(|a| adhoc_section(a)).collect::<anyhow::Result<Vec<_>>>()?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let local = local_options(settings, &args.local)?;
    let opts = run_options(&args.exec);
    // Before anything runs (or is paid for on Athena): the page must have somewhere to go.
    let mut out = (!args.cost.estimate).then(|| Out::open(Some(&args.output))).transpose()?;
    let engine = open_engine(settings, printer, local.as_ref(), &window).await?;
    let table = engine.table().unwrap_or_else(|| settings.table.clone());
    let mut notes = Vec::new();
    let private: Vec<ipnet::IpNet> = PRIVATE.iter().filter_map(|n| n.parse().ok()).collect();
    let vpc_cidrs = if settings.vpc_cidrs.is_empty() {
        notes.push(format!(
            "No vpc_cidrs are configured, so \"internal\" means the private ranges ({}); set vpc_cidrs in athq.yaml to your VPCs' networks.",
            PRIVATE.join(", ")
        ));
        &private
    } else {
        &settings.vpc_cidrs
    };
    let ctx = RenderContext { table: &table, vpc_cidrs, window, dialect: engine.dialect(), relative: None };

    // Every section rendered first, so the scan limit sees them all before the first starts.
    let mut items: Vec<Item> = chosen
        .iter()
        .zip(&params)
        .map(|(q, params)| {
            let mut opts = opts.clone();
            let columns = q.fields.iter().map(|f| f.column()).collect();
            opts.scope = Some(Scope { window, columns });
            // A detection's rows on a page about one address: those that name it.
            let only = ip.filter(|_| q.param("ip").is_none());
            let description = match only {
                Some(ip) => format!("{}\n\nOnly the rows that name {ip}.", q.description.trim_end()),
                None => q.description.clone(),
            };
            let sql = render::render(q, params, &ctx).map_err(|e| e.to_string());
            let command = format!("athq run {}", q.name);
            Item { name: q.name.clone(), command, title: q.title.clone(), description, sql, opts, only }
        })
        .collect();
    items.extend(adhoc.into_iter().map(|(name, file, sql)| Item {
        title: name.clone(),
        command: format!("athq report --sql {name}={file}"),
        name,
        description: format!("Ad-hoc SQL from `{file}`."),
        sql: Ok(sql),
        opts: opts.clone(),
        only: None,
    }));
    let planned: Vec<Planned> = items
        .iter()
        .filter_map(|i| Some(Planned { label: &i.name, sql: i.sql.as_ref().ok()?, opts: &i.opts }))
        .collect();
    let Some(mut out) = out.take() else {
        let table = OutputArgs::stdout(OutputFormat::Table);
        return cost::show_all(engine.as_ref(), "section", &planned, &table, printer).await;
    };
    engine.admit(&planned).await?;
    // The embedded engine reads the source once for all sections, when it fits in memory.
    let read_before = match planned.len() > 1 {
        true => engine.read_once().await?.unwrap_or(0),
        false => 0,
    };

    let mut sections = Vec::new();
    let mut failures = 0;
    let count = items.len();
    for (i, item) in items.into_iter().enumerate() {
        printer.status(&format!("[{}/{}] {}", i + 1, count, item.name));
        let (sql, outcome) = match item.sql {
            Err(e) => (String::new(), Err(e)),
            Ok(sql) => {
                let spinner = Spinner::new(printer.quiet());
                let outcome = match engine.query(&sql, &item.opts, &spinner).await {
                    // A signal stops the report, not just this query; so does the scan limit.
                    Err(e @ (EngineError::Interrupted { .. } | EngineError::OverLimit { .. })) => {
                        return Err(e.into());
                    }
                    r => r.map_err(|e| format!("{:#}", anyhow::Error::from(e))),
                };
                let outcome = match item.only {
                    Some(ip) => outcome.map(|a| naming(a, ip)),
                    None => outcome,
                };
                (sql, outcome)
            }
        };
        if let Err(e) = &outcome {
            failures += 1;
            printer.status(&format!("warning: {}: {e}", item.name));
        }
        sections.push(Section {
            query: item.name,
            command: item.command,
            title: item.title,
            description: item.description,
            sql,
            outcome,
        });
    }

    let engine_name = match settings.engine {
        EngineKind::Athena => {
            format!("Athena (work group {}, database {})", settings.workgroup, settings.table.database)
        }
        EngineKind::Local => {
            format!(
                "embedded engine over {}",
                shown_source(local.as_ref().map(|l| l.source.as_str()).unwrap_or_default())
            )
        }
    };
    // A page to send names no local folder: the source by its last folders, in footers too.
    if let Some(src) = local.as_ref().map(|l| l.source.trim_end_matches('/')).filter(|s| !s.is_empty()) {
        let shown = shown_source(src);
        for a in sections.iter_mut().filter_map(|s| s.outcome.as_mut().ok()) {
            a.footer.text = a.footer.text.replace(src, &shown);
        }
    }
    let title = match (&args.title, ip) {
        (Some(t), _) => t.clone(),
        (None, Some(ip)) => format!("Investigation of {ip}"),
        (None, None) => "VPC Flow Logs report".into(),
    };
    let report =
        Report { title, window, engine: engine_name, generated: settings.now, notes, read_before, sections };
    out.write_all(report.html().as_bytes())?;
    out.commit()?;
    let (scanned, cost) = report.totals();
    printer.status(&format!(
        "wrote {} ({} sections{}; {} {}{})",
        args.output.display(),
        report.sections.len(),
        if failures > 0 { format!(", {failures} did not run") } else { String::new() },
        crate::engine::human_bytes(scanned),
        if settings.engine == EngineKind::Athena { "scanned" } else { "read" },
        if cost > 0.0 { format!(", ${cost:.4}") } else { String::new() },
    ));
    if failures > 0 {
        anyhow::bail!("{failures} of the report's queries did not run; the page says why");
    }
    Ok(())
}
