//! Settings resolved per command: each command that runs SQL turns its flags, with the global
//! settings, into one `…Settings` value at its start (uv's `RunSettings::resolve`), so flags are
//! read and checked in one place and the command body works from validated values. Also the
//! shared pieces: table-shape flags over the configured table, window flags, the embedded
//! engine's source, and options that mean nothing on the chosen engine.

use jiff::SignedDuration;

use crate::cli::{ExecArgs, ExecOptions, KindArgs, LocalArgs, RunArgs, TableShapeArgs, WindowArgs};
use crate::engine::RunOptions;
use crate::engine::local::LocalOptions;
use crate::error::InputError;
use crate::logs::{Delivery, LogKind};
use crate::render::TimeWindow;
use crate::render::window::{WindowSpec, parse_time};
use crate::settings::{EngineKind, Settings};
use crate::table::{self as tbl, FieldSet, Granularity, Layout, Partitioning, TableProfile};

/// The window used when a command is given none.
pub const DEFAULT_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// `athq run`, resolved.
#[derive(Debug)]
pub struct RunSettings {
    pub params: Vec<(String, String)>,
    pub window: TimeWindow,
    pub local: Option<LocalOptions>,
    pub run: RunOptions,
}

impl RunSettings {
    pub fn resolve(settings: &Settings, args: &RunArgs) -> anyhow::Result<RunSettings> {
        check_exec_options(settings, &args.exec)?;
        Ok(RunSettings {
            params: args
                .params
                .iter()
                .map(|p| crate::render::parse_assignment(p))
                .collect::<Result<Vec<_>, _>>()?,
            window: TimeWindow::resolve(&window_spec(&args.window)?, settings.now)?,
            local: local_options(settings, &args.local)?,
            run: run_options(&args.exec),
        })
    }
}

/// `athq exec`, resolved: on the embedded engine every file of the source is read.
#[derive(Debug)]
pub struct ExecSettings {
    pub local: Option<LocalOptions>,
    pub window: TimeWindow,
    pub run: RunOptions,
}

impl ExecSettings {
    /// `sql` is the statement, to check its `?` placeholders against `-P`.
    pub fn resolve(settings: &Settings, args: &ExecArgs, sql: &str) -> anyhow::Result<ExecSettings> {
        check_exec_options(settings, &args.exec)?;
        let mut local = local_options(settings, &args.local)?;
        if let Some(l) = local.as_mut() {
            l.all = true;
        }
        let wanted = crate::sql::placeholders(sql).len();
        // `EXECUTE stmt` takes the prepared statement's `?`s, which only Athena knows.
        let execute = local.is_none() && is_execute(sql);
        if wanted != args.parameters.len() && !execute {
            return Err(InputError::new(format!(
                "the SQL has {wanted} `?` placeholder(s) and {} value(s) were given with -P",
                args.parameters.len()
            ))
            .hint("give one -P VALUE per `?`, in order")
            .into());
        }
        let mut run = run_options(&args.exec);
        run.parameters = args.parameters.iter().map(|p| crate::sql::parameter_literal(p)).collect();
        Ok(ExecSettings { local, window: TimeWindow::everything(settings.now), run })
    }
}

/// `EXECUTE name [USING …]`, after any leading comments.
fn is_execute(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    rest.get(..7).is_some_and(|w| w.eq_ignore_ascii_case("execute"))
        && rest[7..].starts_with(|c: char| c.is_whitespace())
}

/// The embedded engine's options: `--source` > `ATHQ_SOURCE` > `source:` > the table's location.
pub fn local_options(settings: &Settings, args: &LocalArgs) -> anyhow::Result<Option<LocalOptions>> {
    if settings.engine != EngineKind::Local {
        if let Some(flag) = [
            (args.source.is_some(), "--source"),
            (args.all, "--all"),
            (args.strict, "--strict"),
            (args.interface.is_some(), "--interface"),
            (args.memory_limit.is_some(), "--memory-limit"),
        ]
        .iter()
        .find_map(|(set, flag)| set.then_some(*flag))
        {
            return Err(InputError::new(format!(
                "{flag} is for the embedded engine, and the engine is `athena`"
            ))
            .hint("add --engine local, or set engine: local in athq.yaml")
            .into());
        }
        return Ok(None);
    }
    let source = args
        .source
        .clone()
        .or_else(|| settings.source.clone())
        .or_else(|| settings.table.location.clone())
        .ok_or_else(|| {
            InputError::new("the embedded engine needs flow-log files, and no source is set")
                .hint("pass --source DIR (or s3://bucket/prefix), set ATHQ_SOURCE, or put `source: DIR` in athq.yaml")
        })?;
    let threads = crate::settings::threads(args.threads, settings);
    if args.interface.is_some() && !source.starts_with(crate::engine::local::LOGS_PREFIX) {
        return Err(InputError::new(
            "--interface narrows a CloudWatch Logs source, and the source is not one",
        )
        .hint("use --source logs:GROUP, or filter on interface_id in SQL")
        .into());
    }
    Ok(Some(LocalOptions {
        source,
        all: args.all,
        strict: args.strict,
        threads,
        memory_limit: crate::settings::memory_limit(args.memory_limit, settings),
        interface: args.interface.clone(),
    }))
}

/// Refuses options that mean nothing on the engine the settings chose.
pub fn check_exec_options(settings: &Settings, opts: &ExecOptions) -> anyhow::Result<()> {
    if settings.engine == EngineKind::Local && opts.reuse_minutes.is_some() {
        return Err(InputError::new("--reuse-minutes is Athena's result reuse, and the engine is `local`")
            .hint("leave out --reuse-minutes: the embedded engine reads the files every time")
            .into());
    }
    Ok(())
}

pub fn run_options(opts: &ExecOptions) -> RunOptions {
    RunOptions {
        reuse_minutes: opts.reuse_minutes,
        timeout: opts.timeout.map(std::time::Duration::from_secs),
        client_request_token: None,
        parameters: Vec::new(),
        scope: None,
    }
}

/// The configured table with the command's shape flags applied.
pub fn table_with(settings: &Settings, shape: &TableShapeArgs) -> anyhow::Result<TableProfile> {
    let mut t = settings.table.clone();
    if let Some(f) = shape.format {
        t.format = f;
    }
    if shape.hive {
        t.layout = Layout::Hive;
    }
    if shape.plain {
        t.layout = Layout::Plain;
    }
    if let Some(l) = shape.layout {
        t.layout = l;
    }
    t.layout_given |= shape.hive || shape.plain || shape.layout.is_some();
    if shape.hourly {
        t.granularity = Granularity::Hour;
    }
    if shape.daily {
        t.granularity = Granularity::Day;
    }
    if shape.monthly {
        t.granularity = Granularity::Month;
    }
    if let Some(c) = &shape.partition_column {
        t.partition_column = Some(c.clone());
    }
    if shape.projection {
        t.partitioning = Partitioning::Projection;
    }
    if let Some(p) = shape.partitioning {
        t.partitioning = p;
    }
    if let Some(f) = &shape.fields {
        t.fields = FieldSet::parse(f).map_err(|e| {
            InputError::new(format!("--fields: {e}"))
                .hint("use v2, v3, v4, v5, all, or field names such as \"srcaddr dstaddr bytes\"")
        })?;
    }
    delivery_flags(shape, &mut t.location, &mut t.accounts, &mut t.regions)?;
    t.check_shape().map_err(|e| InputError::new(e.to_string()))?;
    Ok(t)
}

/// `--location`, `--accounts` and `--regions`, checked, over the configured values.
fn delivery_flags(
    shape: &TableShapeArgs,
    location: &mut Option<String>,
    accounts: &mut Vec<String>,
    regions: &mut Vec<String>,
) -> anyhow::Result<()> {
    if let Some(l) = &shape.location {
        *location = Some(tbl::validate_location(l).map_err(|e| InputError::new(format!("--location: {e}")))?);
    }
    if let Some(a) = &shape.accounts {
        *accounts = split_list(a);
        for acct in accounts.iter() {
            tbl::validate_account(acct).map_err(|e| InputError::new(format!("--accounts: {e}")))?;
        }
    }
    if let Some(r) = &shape.regions {
        *regions = split_list(r);
        for region in regions.iter() {
            tbl::validate_region(region).map_err(|e| InputError::new(format!("--regions: {e}")))?;
        }
    }
    Ok(())
}

/// The kind `--kind` names, or `None` for flow logs (whose table is the `table:` profile, and
/// which have no organization folder: `--organization` is refused there, not ignored).
pub fn other_kind(args: &KindArgs) -> anyhow::Result<Option<&'static dyn LogKind>> {
    let kind = args
        .kind
        .as_deref()
        .and_then(crate::logs::find)
        .filter(|k| k.name() != crate::logs::flow_logs().name());
    if kind.is_none() && args.organization.is_some() {
        return Err(InputError::new(
            "--organization is for CloudTrail's organization trails; flow logs have no such folder",
        )
        .hint("add --kind cloudtrail, or leave out --organization")
        .into());
    }
    Ok(kind)
}

/// The table of another kind: its `tables:` entry (or default) with the flags over it. Flags
/// that shape only the flow-log table are refused, not ignored.
pub fn delivery_with(
    settings: &Settings,
    kind: &dyn LogKind,
    args: &KindArgs,
    shape: &TableShapeArgs,
) -> anyhow::Result<Delivery> {
    let flow_only = [
        ("--format", shape.format.is_some()),
        ("--layout", shape.layout.is_some()),
        ("--hive", shape.hive),
        ("--plain", shape.plain),
        ("--hourly", shape.hourly),
        ("--daily", shape.daily),
        ("--monthly", shape.monthly),
        ("--partition-column", shape.partition_column.is_some()),
        ("--fields", shape.fields.is_some()),
    ];
    if let Some((flag, _)) = flow_only.iter().find(|(_, given)| *given) {
        return Err(InputError::new(format!(
            "{flag} shapes the flow-log table; it does nothing for {}",
            kind.title()
        ))
        .hint(format!("{} delivers its logs in one layout: leave {flag} out", kind.title()))
        .into());
    }
    let mut d = settings.delivery(kind);
    delivery_flags(shape, &mut d.location, &mut d.accounts, &mut d.regions)?;
    if shape.projection {
        d.partitioning = Partitioning::Projection;
    }
    if let Some(p) = shape.partitioning {
        d.partitioning = p;
    }
    if let Some(org) = &args.organization {
        crate::settings::validate_organization(org)
            .map_err(|m| InputError::new(format!("--organization: {m}")))?;
        d.organization = Some(org.clone());
    }
    Ok(d)
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The window the flags ask for (the last 24 hours when none is given).
pub fn window_spec(args: &WindowArgs) -> anyhow::Result<WindowSpec> {
    Ok(match (args.days, args.hours, &args.from) {
        (Some(d), _, _) => WindowSpec::Last(SignedDuration::from_hours(i64::from(d) * 24)),
        (_, Some(h), _) => WindowSpec::Last(SignedDuration::from_hours(i64::from(h))),
        (_, _, Some(from)) => WindowSpec::Range {
            from: parse_time(from).map_err(|e| InputError::new(format!("--from: {e}")))?,
            to: args
                .to
                .as_deref()
                .map(parse_time)
                .transpose()
                .map_err(|e| InputError::new(format!("--to: {e}")))?,
        },
        (None, None, None) => WindowSpec::Last(DEFAULT_WINDOW),
    })
}
