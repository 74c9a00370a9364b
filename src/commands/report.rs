//! `athq report`: runs a set of library queries over one window on either engine and writes one
//! self-contained HTML page (src/report).

use std::io::Write;

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

fn queries<'a>(lib: &'a Library, names: &[String]) -> anyhow::Result<Vec<&'a Query>> {
    if names.is_empty() {
        let mut out: Vec<&Query> = DEFAULT_QUERIES.iter().map(|n| lib.get(n)).collect::<Result<_, _>>()?;
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

pub async fn exec(settings: &Settings, printer: &Printer, args: ReportArgs) -> anyhow::Result<()> {
    let settings = &cost::apply(settings, &args.cost)?;
    check_exec_options(settings, &args.exec)?;
    let lib = library(settings, printer)?;
    let chosen = queries(&lib, &args.queries)?;
    let params = params_for(&chosen, &args.params)?;
    let window = TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?;
    let local = local_options(settings, &args.local)?;
    let opts = run_options(&args.exec);
    // Before anything runs (or is paid for on Athena): the page must have somewhere to go.
    let mut out = (!args.cost.estimate).then(|| Out::open(Some(&args.output))).transpose()?;
    let engine = open_engine(settings, printer, local.as_ref(), &window).await?;
    let mut table = settings.table.clone();
    if let Some(fields) = engine.fields() {
        table.fields = fields;
    }
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
    let rendered: Vec<(Result<String, String>, RunOptions)> = chosen
        .iter()
        .zip(&params)
        .map(|(q, params)| {
            let mut opts = opts.clone();
            let columns = q.fields.iter().map(|f| f.column()).collect();
            opts.scope = Some(Scope { window, columns });
            (render::render(q, params, &ctx).map_err(|e| e.to_string()), opts)
        })
        .collect();
    let planned: Vec<Planned> = chosen
        .iter()
        .zip(&rendered)
        .filter_map(|(q, (sql, opts))| Some(Planned { label: &q.name, sql: sql.as_ref().ok()?, opts }))
        .collect();
    let Some(mut out) = out.take() else {
        let table = OutputArgs::stdout(OutputFormat::Table);
        return cost::show_all(engine.as_ref(), "section", &planned, &table, printer).await;
    };
    engine.admit(&planned).await?;

    let mut sections = Vec::new();
    let mut failures = 0;
    for (i, (q, (sql, opts))) in chosen.iter().zip(rendered).enumerate() {
        printer.status(&format!("[{}/{}] {}", i + 1, chosen.len(), q.name));
        let (sql, outcome) = match sql {
            Err(e) => (String::new(), Err(e)),
            Ok(sql) => {
                let spinner = Spinner::new(printer.quiet());
                let outcome = match engine.query(&sql, &opts, &spinner).await {
                    // A signal stops the report, not just this query; so does the scan limit.
                    Err(e @ (EngineError::Interrupted { .. } | EngineError::OverLimit { .. })) => {
                        return Err(e.into());
                    }
                    r => r.map_err(|e| format!("{:#}", anyhow::Error::from(e))),
                };
                (sql, outcome)
            }
        };
        if let Err(e) = &outcome {
            failures += 1;
            printer.status(&format!("warning: {}: {e}", q.name));
        }
        sections.push(Section {
            query: q.name.clone(),
            title: q.title.clone(),
            description: q.description.clone(),
            sql,
            outcome,
        });
    }

    let engine_name = match settings.engine {
        EngineKind::Athena => {
            format!("Athena (work group {}, database {})", settings.workgroup, settings.table.database)
        }
        EngineKind::Local => {
            format!("embedded engine over {}", local.as_ref().map(|l| l.source.as_str()).unwrap_or_default())
        }
    };
    let report = Report {
        title: args.title.clone(),
        window,
        engine: engine_name,
        generated: settings.now,
        notes,
        sections,
    };
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
