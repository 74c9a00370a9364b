//! Settings, resolved once: flag > `ATHQ_*` environment > `athq.yaml` > default. The config file
//! is `--config`, else `ATHQ_CONFIG`, else the first `athq.yaml` in the working directory or its
//! parents. Unknown keys and invalid values are errors naming the file and line. Everything
//! downstream takes a `Settings` and never reads flags, files or the environment itself.

use std::path::{Path, PathBuf};

use ipnet::IpNet;
use jiff::Timestamp;
use serde::Deserialize;

use crate::env_vars;
use crate::logs::{Delivery, LogKind};
use crate::render::window::parse_time;
use crate::table::{self, FieldSet, Format, Layout, Partitioning, TableProfile};

pub const CONFIG_FILE_NAME: &str = "athq.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    /// Amazon Athena
    Athena,
    /// The embedded engine over local or S3 files
    Local,
}

/// The resolved settings every command works from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config_file: Option<PathBuf>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub workgroup: String,
    /// Every `--workgroup` given (or just `workgroup`), for commands that act on several.
    pub workgroups: Vec<String>,
    pub catalog: String,
    pub output_location: Option<String>,
    pub engine: EngineKind,
    /// Flow-log files for the embedded engine (`source:`, `ATHQ_SOURCE`); `--source` overrides.
    pub source: Option<String>,
    /// Threads the embedded engine may use (`threads:`, `ATHQ_THREADS`); `--threads` overrides.
    pub threads: Option<usize>,
    /// The most memory the embedded engine's operators may hold (`memory_limit:`,
    /// `ATHQ_MEMORY_LIMIT`); `--memory-limit` overrides.
    pub memory_limit: Option<u64>,
    /// The most an Athena query may scan by its estimate (`max_scan:`, e.g. `5GB`); `--max-scan`
    /// overrides.
    pub max_scan: Option<u64>,
    pub vpc_cidrs: Vec<IpNet>,
    pub library_dirs: Vec<PathBuf>,
    pub table: TableProfile,
    /// The tables of other log kinds (`tables:`), each with its kind.
    pub tables: Vec<(&'static dyn LogKind, Delivery)>,
    /// "Now", for time windows: the clock, or `ATHQ_NOW`.
    pub now: Timestamp,
    pub quiet: bool,
}

/// The flags that feed settings (filled from the CLI's global arguments).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub library: Vec<PathBuf>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Every `--workgroup` given; the last is the one single-work-group commands use.
    pub workgroups: Vec<String>,
    pub catalog: Option<String>,
    pub database: Option<String>,
    pub table: Option<String>,
    pub output_location: Option<String>,
    pub engine: Option<EngineKind>,
    pub vpc_cidrs: Option<String>,
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("config file {0} does not exist")]
    NotFound(PathBuf),
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy)]
enum From {
    Flag(&'static str),
    Env(&'static str),
    File,
}

/// A YAML scalar that may have been written as a number (account ids often are).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(u64),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    workgroup: Option<String>,
    catalog: Option<String>,
    database: Option<String>,
    output_location: Option<String>,
    engine: Option<EngineKind>,
    source: Option<String>,
    threads: Option<usize>,
    memory_limit: Option<String>,
    max_scan: Option<String>,
    vpc_cidrs: Option<Vec<String>>,
    library: Option<Vec<PathBuf>>,
    table: Option<FileTable>,
    tables: Option<std::collections::BTreeMap<String, FileKindTable>>,
}

/// A `tables:` entry: a table of another log kind and its delivery.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileKindTable {
    kind: String,
    database: Option<String>,
    location: Option<String>,
    organization: Option<String>,
    accounts: Option<Vec<Scalar>>,
    regions: Option<Vec<String>>,
    partitioning: Option<Partitioning>,
    projection_start: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTable {
    name: Option<String>,
    database: Option<String>,
    location: Option<String>,
    format: Option<Format>,
    layout: Option<Layout>,
    hourly: Option<bool>,
    granularity: Option<table::Granularity>,
    partition_column: Option<String>,
    partitioning: Option<Partitioning>,
    fields: Option<FieldsSpec>,
    accounts: Option<Vec<Scalar>>,
    regions: Option<Vec<String>>,
    projection_start: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FieldsSpec {
    Named(String),
    List(Vec<String>),
}

/// Finds `athq.yaml` in `dir` or its parents.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(CONFIG_FILE_NAME)).find(|p| p.is_file())
}

/// The 1-based line of the first `key:` in `text`, to point at a value that fails validation.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
        })
        .map(|i| i + 1)
}

struct Origin<'a> {
    path: Option<&'a Path>,
    text: &'a str,
}

impl Origin<'_> {
    fn err(&self, key: &str, message: impl Into<String>) -> SettingsError {
        let origin = match self.path {
            Some(p) => match line_of(self.text, key) {
                Some(l) => format!("{}:{l}", p.display()),
                None => p.display().to_string(),
            },
            None => "settings".into(),
        };
        SettingsError::Invalid { origin, message: message.into() }
    }
}

/// A thread count: 1 to 1024.
/// The cores a run may use: `--threads`, else `threads:` / ATHQ_THREADS, else every core this
/// process may run on (its CPU affinity, as `taskset` sets it).
pub fn threads(flag: Option<usize>, settings: &Settings) -> usize {
    flag.or(settings.threads)
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
}

pub fn parse_threads(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=1024).contains(n))
        .ok_or_else(|| format!("`{text}` is not a thread count (1 to 1024)"))
}

/// `5GB`, `500 MiB`, `1TB`, `1048576`: a size in bytes (decimal and binary units, any case).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split_at = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split_at);
    let n: f64 = number.parse().ok()?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024f64.powi(2),
        "gib" => 1024f64.powi(3),
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    let bytes = n * scale;
    (bytes.is_finite() && (0.0..1e19).contains(&bytes)).then_some(bytes as u64)
}

/// A memory limit: a size such as `2GB` or `512MiB`, at least 16 MiB (less cannot hold one
/// batch of a sort).
pub fn parse_memory_limit(text: &str) -> Result<u64, String> {
    match parse_size(text) {
        Some(n) if n >= MIN_MEMORY_LIMIT => Ok(n),
        Some(_) => Err(format!("`{text}` is less than the smallest memory limit, 16MiB")),
        None => Err(format!("`{text}` is not a size such as 2GB or 512MiB")),
    }
}

const MIN_MEMORY_LIMIT: u64 = 16 << 20;

/// The memory the embedded engine may hold: `--memory-limit`, else `memory_limit:` /
/// ATHQ_MEMORY_LIMIT, else 80% of the memory this process may use (the machine's, or its
/// cgroup's limit when lower), as DuckDB does. `None` where the memory cannot be read.
pub fn memory_limit(flag: Option<u64>, settings: &Settings) -> Option<u64> {
    flag.or(settings.memory_limit).or_else(|| usable_memory().map(|m| m / 5 * 4))
}

fn usable_memory() -> Option<u64> {
    #[cfg(unix)]
    let physical = {
        // SAFETY: sysconf only reads system configuration.
        let (pages, size) =
            unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
        (pages > 0 && size > 0).then(|| pages as u64 * size as u64)
    };
    #[cfg(not(unix))]
    let physical: Option<u64> = None;
    // A container's limit (cgroup v2, then v1); "max" or an absurd v1 value mean none.
    let cgroup = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok()?.trim().parse::<u64>().ok())
        .filter(|&n| n < 1 << 60);
    match (physical, cgroup) {
        (Some(p), Some(c)) => Some(p.min(c)),
        (p, c) => p.or(c),
    }
}

fn invalid(origin: &str, message: impl Into<String>) -> SettingsError {
    SettingsError::Invalid { origin: origin.to_string(), message: message.into() }
}

fn parse_cidrs<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<IpNet>, String> {
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let net: IpNet = s.parse().map_err(|_| format!("`{s}` is not a CIDR block"))?;
            if net.trunc() != net {
                return Err(format!("`{s}` has host bits set; the network is `{}`", net.trunc()));
            }
            Ok(net)
        })
        .collect()
}

/// Where values are read from, for the steps of [`Settings::resolve`]: the environment (empty
/// values count as unset) and the config file, so that an error names the flag, variable or
/// file line a value came from.
struct Lookup<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    origin: Origin<'a>,
}

impl Lookup<'_> {
    fn env(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    /// A value and where it came from: the flag, else the variable, else the file.
    fn pick(
        &self,
        flag: &Option<String>,
        flag_name: &'static str,
        var: &'static str,
        file: &Option<String>,
    ) -> Option<(String, From)> {
        flag.clone()
            .map(|v| (v, From::Flag(flag_name)))
            .or_else(|| self.env(var).map(|v| (v, From::Env(var))))
            .or_else(|| file.clone().map(|v| (v, From::File)))
    }

    fn err_at(&self, from: From, key: &str, message: String) -> SettingsError {
        match from {
            From::Flag(name) | From::Env(name) => invalid(name, message),
            From::File => self.origin.err(key, message),
        }
    }
}

/// The config file in use (`--config`, `ATHQ_CONFIG`, else found from `cwd`), its text and
/// its parsed content (empty when there is none).
fn load(
    flags: &Overrides,
    env: &dyn Fn(&str) -> Option<String>,
    cwd: &Path,
) -> Result<(Option<PathBuf>, String, FileConfig), SettingsError> {
    let named = flags
        .config
        .clone()
        .or_else(|| env(env_vars::ATHQ_CONFIG).filter(|v| !v.is_empty()).map(PathBuf::from));
    let config_file = match named {
        Some(p) => {
            let p = if p.is_absolute() { p } else { cwd.join(p) };
            if !p.is_file() {
                return Err(SettingsError::NotFound(p));
            }
            Some(p)
        }
        None => discover(cwd),
    };
    let text = match &config_file {
        Some(p) => {
            std::fs::read_to_string(p).map_err(|source| SettingsError::Read { path: p.clone(), source })?
        }
        None => String::new(),
    };
    let file: FileConfig = if text.trim().is_empty() {
        FileConfig::default()
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let path = config_file.as_ref().expect("text comes from a file").display();
            let origin = match e.location() {
                Some(l) => format!("{path}:{}", l.line()),
                None => path.to_string(),
            };
            let msg = e.to_string();
            invalid(&origin, msg.split(" at line ").next().unwrap_or(&msg))
        })?
    };
    Ok((config_file, text, file))
}

fn engine(flags: &Overrides, at: &Lookup, file: Option<EngineKind>) -> Result<EngineKind, SettingsError> {
    Ok(match (flags.engine, at.env(env_vars::ATHQ_ENGINE)) {
        (Some(e), _) => e,
        (None, Some(v)) => match v.as_str() {
            "athena" => EngineKind::Athena,
            "local" => EngineKind::Local,
            _ => {
                return Err(invalid(
                    env_vars::ATHQ_ENGINE,
                    format!("`{v}` is not an engine: use athena or local"),
                ));
            }
        },
        (None, None) => file.unwrap_or(EngineKind::Athena),
    })
}

fn vpc_cidrs(
    flags: &Overrides,
    at: &Lookup,
    file: &Option<Vec<String>>,
) -> Result<Vec<IpNet>, SettingsError> {
    match flags
        .vpc_cidrs
        .clone()
        .map(|v| ("--vpc-cidrs", v))
        .or_else(|| at.env(env_vars::ATHQ_VPC_CIDRS).map(|v| (env_vars::ATHQ_VPC_CIDRS, v)))
    {
        Some((from, v)) => parse_cidrs(v.split(',')).map_err(|m| invalid(from, m)),
        None => {
            parse_cidrs(file.iter().flatten().map(String::as_str)).map_err(|m| at.origin.err("vpc_cidrs", m))
        }
    }
}

/// Library folders: the file's (relative to it), then `ATHQ_LIBRARY`'s, then `--library`'s.
fn library_dirs(
    flags: &Overrides,
    at: &Lookup,
    file: &Option<Vec<PathBuf>>,
    base_dir: &Path,
    cwd: &Path,
) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        file.iter().flatten().map(|d| if d.is_absolute() { d.clone() } else { base_dir.join(d) }).collect();
    if let Some(v) = at.env(env_vars::ATHQ_LIBRARY) {
        dirs.extend(std::env::split_paths(&v));
    }
    dirs.extend(flags.library.iter().map(|d| if d.is_absolute() { d.clone() } else { cwd.join(d) }));
    dirs
}

/// The embedded engine's settings: source, threads, memory limit (and the scan budget).
struct LocalSettings {
    source: Option<String>,
    threads: Option<usize>,
    memory_limit: Option<u64>,
    max_scan: Option<u64>,
}

fn local_settings(at: &Lookup, file: &FileConfig, base_dir: &Path) -> Result<LocalSettings, SettingsError> {
    // A relative source in athq.yaml is relative to the file, like `library:`.
    let source = match at.env(env_vars::ATHQ_SOURCE) {
        Some(v) => Some(v),
        None => file.source.clone().map(|s| {
            if s.starts_with("s3://") || s.starts_with("logs:") || Path::new(&s).is_absolute() {
                s
            } else {
                base_dir.join(&s).to_string_lossy().to_string()
            }
        }),
    };
    let threads = match at.env(env_vars::ATHQ_THREADS) {
        Some(v) => Some(parse_threads(&v).map_err(|e| invalid(env_vars::ATHQ_THREADS, e))?),
        None => file
            .threads
            .map(|n| parse_threads(&n.to_string()).map_err(|e| at.origin.err("threads", e)))
            .transpose()?,
    };
    let memory_limit = match at.env(env_vars::ATHQ_MEMORY_LIMIT) {
        Some(v) => Some(parse_memory_limit(&v).map_err(|e| invalid(env_vars::ATHQ_MEMORY_LIMIT, e))?),
        None => file
            .memory_limit
            .as_deref()
            .map(|v| parse_memory_limit(v).map_err(|e| at.origin.err("memory_limit", e)))
            .transpose()?,
    };
    let max_scan = file
        .max_scan
        .as_deref()
        .map(|v| {
            parse_size(v).ok_or_else(|| {
                at.origin.err("max_scan", format!("`{v}` is not a size such as 5GB or 500MiB"))
            })
        })
        .transpose()?;
    if let Some(s) = source.as_deref().filter(|s| s.starts_with("s3://")) {
        table::validate_location(s).map_err(|e| match at.env(env_vars::ATHQ_SOURCE) {
            Some(_) => invalid(env_vars::ATHQ_SOURCE, e.to_string()),
            None => at.origin.err("source", e.to_string()),
        })?;
    }
    Ok(LocalSettings { source, threads, memory_limit, max_scan })
}

/// Athena's names: the work group (and every `--workgroup`), the catalog, the output location.
struct AthenaNames {
    workgroup: String,
    workgroups: Vec<String>,
    catalog: String,
    output_location: Option<String>,
}

fn athena_names(flags: &Overrides, at: &Lookup, file: &FileConfig) -> Result<AthenaNames, SettingsError> {
    let (workgroup, wg_from) = at
        .pick(&flags.workgroups.last().cloned(), "--workgroup", env_vars::ATHQ_WORKGROUP, &file.workgroup)
        .unwrap_or_else(|| ("primary".into(), From::File));
    let (catalog, catalog_from) = at
        .pick(&flags.catalog, "--catalog", env_vars::ATHQ_CATALOG, &file.catalog)
        .unwrap_or_else(|| ("AwsDataCatalog".into(), From::File));
    let output_location = match at.pick(
        &flags.output_location,
        "--output-location",
        env_vars::ATHQ_OUTPUT_LOCATION,
        &file.output_location,
    ) {
        Some((loc, from)) => Some(
            table::validate_location(&loc).map_err(|e| at.err_at(from, "output_location", e.to_string()))?,
        ),
        None => None,
    };
    for (key, v, from) in flags
        .workgroups
        .iter()
        .map(|w| ("workgroup", w, From::Flag("--workgroup")))
        .chain([("workgroup", &workgroup, wg_from), ("catalog", &catalog, catalog_from)])
    {
        let ok = !v.is_empty()
            && v.len() <= 128
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return Err(at.err_at(from, key, format!("`{v}` is not a valid {key} name")));
        }
    }
    let workgroups = match flags.workgroups.is_empty() {
        true => vec![workgroup.clone()],
        false => flags.workgroups.clone(),
    };
    Ok(AthenaNames { workgroup, workgroups, catalog, output_location })
}

/// Account ids as the file gives them (a YAML number of 12 digits is read as its digits).
fn accounts(origin: &Origin, items: Option<Vec<Scalar>>) -> Result<Vec<String>, SettingsError> {
    let mut out = Vec::new();
    for a in items.into_iter().flatten() {
        let a = match a {
            Scalar::Text(s) => s,
            Scalar::Number(n) if n.to_string().len() == 12 => n.to_string(),
            Scalar::Number(n) => {
                return Err(origin.err(
                    "accounts",
                    format!(
                        "account id {n} was read as a number and is not 12 digits: quote account ids \
                         ('012345678901')"
                    ),
                ));
            }
        };
        table::validate_account(&a).map_err(|e| origin.err("accounts", e.to_string()))?;
        out.push(a);
    }
    Ok(out)
}

fn regions(origin: &Origin, items: Option<Vec<String>>) -> Result<Vec<String>, SettingsError> {
    let mut out = Vec::new();
    for r in items.into_iter().flatten() {
        table::validate_region(&r).map_err(|e| origin.err("regions", e.to_string()))?;
        out.push(r);
    }
    Ok(out)
}

fn projection_start(origin: &Origin, s: &str) -> Result<jiff::civil::Date, SettingsError> {
    s.parse().map_err(|_| origin.err("projection_start", format!("`{s}` is not a date (YYYY-MM-DD)")))
}

/// An organization trail's id: `o-` and 10 to 32 lowercase letters or digits.
pub fn validate_organization(id: &str) -> Result<(), String> {
    let rest = id.strip_prefix("o-").unwrap_or("");
    match (10..=32).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        true => Ok(()),
        false => {
            Err(format!("`{id}` is not an organization id (o- and 10 to 32 lowercase letters or digits)"))
        }
    }
}

/// `tables:`: each named table of another kind, its delivery checked as the flow-log table's is;
/// what an entry leaves out comes from the flow-log table (database, bucket, accounts, regions).
fn kind_tables(
    at: &Lookup,
    entries: Option<std::collections::BTreeMap<String, FileKindTable>>,
    flow: &TableProfile,
) -> Result<Vec<(&'static dyn LogKind, Delivery)>, SettingsError> {
    let origin = &at.origin;
    let mut out = Vec::new();
    for (name, e) in entries.into_iter().flatten() {
        let kind = crate::logs::find(&e.kind).ok_or_else(|| {
            let names: Vec<&str> = crate::logs::KINDS.iter().map(|k| k.name()).collect();
            origin.err("kind", format!("`{}` is not a log kind: use {}", e.kind, names.join(", ")))
        })?;
        if kind.name() == crate::logs::flow_logs().name() {
            return Err(origin.err(
                "kind",
                format!("`{name}`: the flow-log table is `table:`; `tables:` holds the other log kinds"),
            ));
        }
        table::validate_identifier("table", &name).map_err(|e| origin.err(&name, e.to_string()))?;
        let mut d = default_delivery(kind, flow);
        d.name = name;
        if let Some(db) = e.database {
            table::validate_identifier("database", &db).map_err(|e| origin.err("database", e.to_string()))?;
            d.database = db;
        }
        if let Some(loc) = e.location {
            d.location =
                Some(table::validate_location(&loc).map_err(|e| origin.err("location", e.to_string()))?);
        }
        if let Some(org) = e.organization {
            validate_organization(&org).map_err(|m| origin.err("organization", m))?;
            d.organization = Some(org);
        }
        if e.accounts.is_some() {
            d.accounts = accounts(origin, e.accounts)?;
        }
        if e.regions.is_some() {
            d.regions = regions(origin, e.regions)?;
        }
        d.partitioning = e.partitioning.unwrap_or(d.partitioning);
        if let Some(s) = e.projection_start {
            d.projection_start = projection_start(origin, &s)?;
        }
        out.push((kind, d));
    }
    Ok(out)
}

/// A kind's table where `tables:` names none: AWS's name for it, in the flow-log table's
/// database and logging bucket, over the same accounts and regions.
pub fn default_delivery(kind: &dyn LogKind, flow: &TableProfile) -> Delivery {
    Delivery {
        name: kind.default_table().to_string(),
        database: flow.database.clone(),
        location: flow.location.clone(),
        organization: None,
        accounts: flow.accounts.clone(),
        regions: flow.regions.clone(),
        partitioning: flow.partitioning,
        projection_start: flow.projection_start,
    }
}

/// The flow-log table: `table:` in the file, `--database` / `--table` and their variables, the
/// logs' regions defaulting to the region in use (flag, file, then the AWS variables; a region
/// only in an AWS profile is not read here, to keep resolution offline).
fn table_profile(
    flags: &Overrides,
    at: &Lookup,
    ft: FileTable,
    database: Option<String>,
    region: Option<&str>,
) -> Result<TableProfile, SettingsError> {
    let origin = &at.origin;
    let mut t = TableProfile::new_default();
    if let Some((db, from)) =
        at.pick(&flags.database, "--database", env_vars::ATHQ_DATABASE, &ft.database.or(database))
    {
        table::validate_identifier("database", &db)
            .map_err(|e| at.err_at(from, "database", e.to_string()))?;
        t.database = db;
    }
    if let Some((name, from)) = at.pick(&flags.table, "--table", env_vars::ATHQ_TABLE, &ft.name) {
        table::validate_identifier("table", &name).map_err(|e| at.err_at(from, "name", e.to_string()))?;
        t.name = name;
    }
    if let Some(loc) = ft.location {
        t.location = Some(table::validate_location(&loc).map_err(|e| origin.err("location", e.to_string()))?);
    }
    t.format = ft.format.unwrap_or(t.format);
    t.layout = ft.layout.unwrap_or(t.layout);
    t.layout_given |= ft.layout.is_some();
    match (ft.hourly, ft.granularity) {
        (Some(h), Some(g)) if h != (g == table::Granularity::Hour) => {
            return Err(origin.err("hourly", format!("hourly: {h} contradicts granularity: {}", g.name())));
        }
        (_, Some(g)) => t.granularity = g,
        (Some(true), None) => t.granularity = table::Granularity::Hour,
        (Some(false), None) => t.granularity = table::Granularity::Day,
        (None, None) => {}
    }
    t.partition_column = ft.partition_column.or(t.partition_column);
    t.partitioning = ft.partitioning.unwrap_or(t.partitioning);
    if let Some(spec) = ft.fields {
        let parsed = match spec {
            FieldsSpec::Named(s) => FieldSet::parse(&s),
            FieldsSpec::List(l) => FieldSet::from_names(l.iter().map(String::as_str)),
        };
        t.fields = parsed.map_err(|e| origin.err("fields", e.to_string()))?;
    }
    t.accounts = accounts(origin, ft.accounts)?;
    t.regions = regions(origin, ft.regions)?;
    if t.regions.is_empty()
        && let Some(r) = region
            .map(str::to_string)
            .or_else(|| at.env("AWS_REGION"))
            .or_else(|| at.env("AWS_DEFAULT_REGION"))
        && table::validate_region(&r).is_ok()
    {
        t.regions.push(r);
    }
    if let Some(s) = ft.projection_start {
        t.projection_start = projection_start(origin, &s)?;
    }
    t.check_shape().map_err(|e| origin.err("layout", e.to_string()))?;
    Ok(t)
}

impl Settings {
    /// The table of `kind`: the first `tables:` entry of that kind, else its default.
    pub fn delivery(&self, kind: &dyn LogKind) -> Delivery {
        self.tables
            .iter()
            .find(|(k, _)| k.name() == kind.name())
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| default_delivery(kind, &self.table))
    }

    /// Resolves settings from flags, an environment lookup, and the file found from `cwd`.
    pub fn resolve(
        flags: &Overrides,
        env: &dyn Fn(&str) -> Option<String>,
        cwd: &Path,
    ) -> Result<Settings, SettingsError> {
        let (config_file, text, mut file) = load(flags, env, cwd)?;
        let at = Lookup { env, origin: Origin { path: config_file.as_deref(), text: &text } };
        let base_dir = config_file.as_deref().and_then(Path::parent).unwrap_or(cwd).to_path_buf();
        let engine = engine(flags, &at, file.engine)?;
        let vpc_cidrs = vpc_cidrs(flags, &at, &file.vpc_cidrs)?;
        let library_dirs = library_dirs(flags, &at, &file.library, &base_dir, cwd);
        let local = local_settings(&at, &file, &base_dir)?;
        let now = match at.env(env_vars::ATHQ_NOW) {
            Some(v) => parse_time(&v).map_err(|e| invalid(env_vars::ATHQ_NOW, e.to_string()))?,
            None => Timestamp::now(),
        };
        let athena = athena_names(flags, &at, &file)?;
        let region = flags.region.clone().or(file.region.take());
        let table = table_profile(
            flags,
            &at,
            file.table.take().unwrap_or_default(),
            file.database.take(),
            region.as_deref(),
        )?;
        let tables = kind_tables(&at, file.tables.take(), &table)?;
        Ok(Settings {
            config_file: config_file.clone(),
            region,
            profile: flags.profile.clone().or(file.profile),
            endpoint_url: flags.endpoint_url.clone().or(file.endpoint_url),
            workgroups: athena.workgroups,
            workgroup: athena.workgroup,
            catalog: athena.catalog,
            output_location: athena.output_location,
            engine,
            source: local.source,
            threads: local.threads,
            memory_limit: local.memory_limit,
            max_scan: local.max_scan,
            vpc_cidrs,
            library_dirs,
            table,
            tables,
            now,
            quiet: flags.quiet,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5GB"), Some(5_000_000_000));
        assert_eq!(parse_size("1.5 GiB"), Some(1_610_612_736));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("10 furlongs"), None);
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size(""), None);
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn with_file(yaml: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), yaml).unwrap();
        (dir, nested)
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::resolve(&Overrides::default(), &no_env, dir.path()).unwrap();
        assert!(s.config_file.is_none());
        assert_eq!(s.workgroup, "primary");
        assert_eq!(s.table.name, "vpc_flow_logs");
        assert_eq!(s.engine, EngineKind::Athena);
    }

    #[test]
    fn file_is_found_in_parents_and_flags_beat_env_beat_file() {
        let (_d, cwd) = with_file(
            "workgroup: from_file\ndatabase: flowdb\nvpc_cidrs: [10.0.0.0/16]\ntable:\n  accounts: [111122223333, '012345678901']\n  fields: v5\n",
        );
        let s = Settings::resolve(&Overrides::default(), &no_env, &cwd).unwrap();
        assert_eq!(s.workgroup, "from_file");
        assert_eq!(s.table.database, "flowdb");
        assert_eq!(s.table.accounts, ["111122223333", "012345678901"]);
        assert_eq!(s.table.fields.label(), "v5");
        let env = |k: &str| (k == env_vars::ATHQ_WORKGROUP).then(|| "from_env".to_string());
        assert_eq!(Settings::resolve(&Overrides::default(), &env, &cwd).unwrap().workgroup, "from_env");
        let flags = Overrides { workgroups: vec!["from_flag".into()], ..Default::default() };
        assert_eq!(Settings::resolve(&flags, &env, &cwd).unwrap().workgroup, "from_flag");
    }

    #[test]
    fn the_memory_limit_comes_from_the_flag_the_environment_the_file_or_the_machine() {
        let (_d, cwd) = with_file("memory_limit: 2GB\n");
        let file = Settings::resolve(&Overrides::default(), &no_env, &cwd).unwrap();
        assert_eq!(memory_limit(None, &file), Some(2_000_000_000));
        let env = |k: &str| (k == env_vars::ATHQ_MEMORY_LIMIT).then(|| "512MiB".to_string());
        let from_env = Settings::resolve(&Overrides::default(), &env, &cwd).unwrap();
        assert_eq!(memory_limit(None, &from_env), Some(512 << 20));
        assert_eq!(memory_limit(Some(64 << 20), &from_env), Some(64 << 20));
        // Without any: 80% of what the machine (or its cgroup) gives this process.
        let dir = tempfile::tempdir().unwrap();
        let none = Settings::resolve(&Overrides::default(), &no_env, dir.path()).unwrap();
        let usable = usable_memory().expect("the machine's memory is readable here");
        assert_eq!(memory_limit(None, &none), Some(usable / 5 * 4));
        assert!(usable >= MIN_MEMORY_LIMIT);
        let bad = error("memory_limit: 1MB\n");
        assert!(bad.contains("`1MB` is less than the smallest"), "{bad}");
    }

    fn error(yaml: &str) -> String {
        let (_d, cwd) = with_file(yaml);
        let e = Settings::resolve(&Overrides::default(), &no_env, &cwd).unwrap_err().to_string();
        e.rsplit("athq.yaml").next().unwrap().to_string()
    }

    #[test]
    fn bad_files_name_the_line() {
        assert_eq!(
            error("workgroup: a\ncolour: red\n"),
            ":2: unknown field `colour`, expected one of `region`, `profile`, `endpoint_url`, `workgroup`, `catalog`, `database`, `output_location`, `engine`, `source`, `threads`, `memory_limit`, `max_scan`, `vpc_cidrs`, `library`, `table`, `tables`"
        );
        assert_eq!(
            error("vpc_cidrs:\n  - 10.0.0.1/16\n"),
            ":1: `10.0.0.1/16` has host bits set; the network is `10.0.0.0/16`"
        );
        assert!(
            error("table:\n  name: Flow-Logs\n")
                .starts_with(":2: table `Flow-Logs` is not a valid Athena name")
        );
        assert!(
            error("table:\n  fields: [srcaddr, bogus]\n").starts_with(":2: unknown flow-log field `bogus`")
        );
        assert!(error("table:\n  accounts: [12345]\n").contains("quote account ids"));
        assert!(error("table:\n  format: csv\n").starts_with(":2: "));
        assert!(error("table:\n  location: http://x\n").starts_with(":2: "));
    }

    #[test]
    fn errors_name_the_flag_or_variable_the_value_came_from() {
        let (_d, cwd) = with_file("workgroup: fine\n");
        let flags = Overrides { workgroups: vec!["bad name".into()], ..Default::default() };
        let e = Settings::resolve(&flags, &no_env, &cwd).unwrap_err().to_string();
        assert!(e.starts_with("--workgroup: `bad name` is not a valid workgroup name"), "{e}");
        let env = |k: &str| (k == env_vars::ATHQ_DATABASE).then(|| "Bad-DB".to_string());
        let e = Settings::resolve(&Overrides::default(), &env, &cwd).unwrap_err().to_string();
        assert!(e.starts_with("ATHQ_DATABASE: database `Bad-DB`"), "{e}");
        let flags = Overrides { output_location: Some("http://x".into()), ..Default::default() };
        let e = Settings::resolve(&flags, &no_env, &cwd).unwrap_err().to_string();
        assert!(e.starts_with("--output-location: "), "{e}");
        assert!(error("database: Bad-DB\n").starts_with(":1: database `Bad-DB`"));
    }

    #[test]
    fn regions_default_to_the_region_in_use() {
        let (_d, cwd) = with_file("region: eu-west-1\n");
        assert_eq!(
            Settings::resolve(&Overrides::default(), &no_env, &cwd).unwrap().table.regions,
            ["eu-west-1"]
        );
        let dir = tempfile::tempdir().unwrap();
        let env = |k: &str| (k == "AWS_REGION").then(|| "ap-south-1".to_string());
        assert_eq!(
            Settings::resolve(&Overrides::default(), &env, dir.path()).unwrap().table.regions,
            ["ap-south-1"]
        );
        let (_d, cwd) = with_file("region: eu-west-1\ntable:\n  regions: [us-east-2]\n");
        assert_eq!(
            Settings::resolve(&Overrides::default(), &no_env, &cwd).unwrap().table.regions,
            ["us-east-2"]
        );
    }

    #[test]
    fn missing_explicit_config_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let flags = Overrides { config: Some("nope.yaml".into()), ..Default::default() };
        assert!(matches!(Settings::resolve(&flags, &no_env, dir.path()), Err(SettingsError::NotFound(_))));
    }
}
