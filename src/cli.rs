//! Command-line types only (clap derive): global flags, the command tree and one struct of
//! arguments per subcommand. No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::results::OutputFormat;
use crate::render::Dialect;
use crate::settings::EngineKind;
use crate::table::{Format, Layout, Partitioning};

const ABOUT: &str = "Saved, tested Athena queries and table DDL for AWS VPC Flow Logs";

const EXAMPLES: &str = "\
Examples:
  athq list                                   the saved-query library
  athq show reject-top                        one query's parameters and fields
  athq render reject-top --days 3             the SQL exactly as it would run
  athq render find-ip -p ip=10.0.1.7 --hours 6
  athq run reject-top --engine local --source ./logs
  athq table ddl --format parquet --hive      CREATE TABLE for Parquet logs in the Hive layout
  athq partitions add --from 2026-11-01 --print

--format is the output format on commands that print rows (run, exec, results) and the logs'
storage format on commands about the table and its files (table, render, partitions, sample).

Configuration comes from athq.yaml (this directory or a parent), ATHQ_* variables and flags.";

/// athq's version and its built-in query library's (how many queries, a digest of their files).
pub const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (library: ", env!("ATHQ_LIBRARY_VERSION"), ")");

pub use crate::output::ColorWhen;

#[derive(Debug, Parser)]
#[command(name = "athq", version = VERSION, about = ABOUT, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Colour in help, errors and warnings: auto (a terminal, and NO_COLOR unset), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Config file (default: athq.yaml in this directory or a parent) [env: ATHQ_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra query directory, overlaying the built-in library by name (repeatable) [env: ATHQ_LIBRARY]
    #[arg(long, global = true, value_name = "DIR")]
    pub library: Vec<PathBuf>,
    /// AWS region (default: the AWS config chain)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS profile (default: the AWS config chain)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS endpoint URL, e.g. a local stand-in (default: AWS_ENDPOINT_URL)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Athena work group (repeatable for `saved`) [env: ATHQ_WORKGROUP] [default: primary]
    #[arg(long, global = true, value_name = "NAME")]
    pub workgroup: Vec<String>,
    /// Data catalog [env: ATHQ_CATALOG] [default: AwsDataCatalog]
    #[arg(long, global = true, value_name = "NAME")]
    pub catalog: Option<String>,
    /// Database of the flow-log table [env: ATHQ_DATABASE] [default: default]
    #[arg(long, global = true, value_name = "NAME")]
    pub database: Option<String>,
    /// Flow-log table name [env: ATHQ_TABLE] [default: vpc_flow_logs]
    #[arg(long, global = true, value_name = "NAME")]
    pub table: Option<String>,
    /// S3 location for query results [env: ATHQ_OUTPUT_LOCATION]
    #[arg(long, global = true, value_name = "S3_URL")]
    pub output_location: Option<String>,
    /// Engine to run (and render) queries for [env: ATHQ_ENGINE] [default: athena]
    #[arg(long, global = true, value_enum)]
    pub engine: Option<EngineKind>,
    /// Internal networks, comma-separated CIDR blocks [env: ATHQ_VPC_CIDRS]
    #[arg(long, global = true, value_name = "CIDRS")]
    pub vpc_cidrs: Option<String>,
    /// Print no progress or status on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the saved queries
    List(ListArgs),
    /// Show one saved query: description, parameters, fields it needs
    Show(ShowArgs),
    /// Run a saved query (on Athena or the embedded engine) and print its results
    #[command(
        after_help = "Examples:\n  athq run reject-top --days 3\n  athq run find-ip -p ip=10.20.1.7 --hours 6 --format csv --output flows.csv\n  athq run bytes-by-pair --from 2026-11-01 --to 2026-11-02 --format json"
    )]
    Run(RunArgs),
    /// Write realistic synthetic flow logs in AWS's layout (for trying athq, tests, benchmarks)
    #[command(
        after_help = "Examples:\n  athq sample --output ./logs --days 3 --records 200000\n  athq sample --output ./logs --format parquet --hive --fields v5"
    )]
    Sample(SampleArgs),
    /// Shell completion script (bash, zsh, fish, powershell, elvish), with the library's query names
    #[command(
        after_help = "Examples:\n  athq completions bash > ~/.local/share/bash-completion/completions/athq\n  athq completions zsh > ~/.zfunc/_athq\n  athq completions fish > ~/.config/fish/completions/athq.fish\n\nQuery names are those of the library when the script is made: make it again after adding queries."
    )]
    Completions(CompletionsArgs),
    /// Manual pages (roff): athq(1) on stdout, or one page per command into a directory
    #[command(after_help = "Examples:\n  athq man | man -l -\n  athq man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
    /// Run a set of library queries over one window and write one self-contained HTML page
    #[command(
        after_help = "Examples:\n  athq report --days 3 --engine local --source ./AWSLogs --output report.html\n  athq report --days 7 --queries bytes-over-time,beaconing -p beaconing.min_flows=50\n\nBy default: traffic over time, reject-top, top talkers, outbound by well-known port, port scans\nand every detection (`athq list --tag detection`). The page needs no network to open."
    )]
    Report(ReportArgs),
    /// Run ad-hoc SQL through the same machinery (on the embedded engine: over every file of --source)
    #[command(
        after_help = "Examples:\n  athq exec --sql 'SHOW PARTITIONS vpc_flow_logs'\n  athq exec --file investigation.sql --format markdown\n  athq exec --sql 'SELECT * FROM vpc_flow_logs WHERE srcaddr = ? AND dstport = ?' -P 10.0.0.5 -P 22"
    )]
    Exec(ExecArgs),
    /// An interactive SQL shell on Athena or the embedded engine: history, completion, \run
    #[command(
        after_help = "Examples:\n  athq sql --engine local --source ./AWSLogs\n  athq sql --workgroup analysts --format csv\n  athq sql --engine local --source ./AWSLogs < investigation.sql\n\nInside: statements end with `;`; \\help lists the commands (\\format, \\engine, \\run, \\q)."
    )]
    Sql(SqlArgs),
    /// Show an execution's state, statistics and SQL
    Status(IdArgs),
    /// The work group's recent executions: when, state, data scanned, cost, run time, which query
    #[command(
        after_help = "Examples:\n  athq history                       # the last 7 days of the configured work group\n  athq history --workgroup analysts --since 30d --state FAILED\n  athq history --since 2026-11-01 --format csv --output spend.csv\n\nThe total of scanned bytes and cost is printed on stderr. The `query` column names the library\nquery for statements athq rendered (they end with `-- athq: NAME vN`)."
    )]
    History(HistoryArgs),
    /// Fetch a finished execution's results
    Results(ResultsArgs),
    /// Stop a running execution
    Cancel(IdArgs),
    /// Print a saved query's SQL exactly as it would run
    #[command(
        after_help = "Examples:\n  athq render reject-top --days 3\n  athq render bytes-by-pair --from 2026-11-01 --to 2026-11-02 -p limit=50\n  athq render outbound-well-known-ports --vpc-cidrs 10.0.0.0/16 --engine local"
    )]
    Render(RenderArgs),
    /// Table DDL for the flow-log table
    #[command(subcommand)]
    Table(TableCommand),
    /// The library as named queries in Athena work groups
    #[command(subcommand)]
    Saved(SavedCommand),
    /// Partition maintenance statements
    #[command(subcommand)]
    Partitions(PartitionsCommand),
    /// Check the library: every query file loads and renders for the configured table (exit 2 if not)
    #[command(
        after_help = "Examples:\n  athq check\n  athq check --library ./queries   # in CI, for your own queries"
    )]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only queries with this tag
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Query name
    pub query: String,
    /// Print the query file as it is (header and template)
    #[arg(long)]
    pub sql: bool,
    /// Old spelling of --sql
    #[arg(long = "source", hide = true)]
    pub old_source: bool,
}

#[derive(Debug, Args, Default)]
pub struct WindowArgs {
    /// The last N days, ending now
    #[arg(long, value_name = "N", conflicts_with_all = ["hours", "from"], value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub days: Option<u32>,
    /// The last N hours, ending now
    #[arg(long, value_name = "N", conflicts_with = "from", value_parser = clap::value_parser!(u32).range(1..=87840))]
    pub hours: Option<u32>,
    /// Start of the window: 2026-11-20, 2026-11-20T10:30, RFC 3339 or epoch seconds (UTC unless given)
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// End of the window (exclusive; default: now)
    #[arg(long, value_name = "TIME", requires = "from")]
    pub to: Option<String>,
}

/// Overrides for the configured table's shape.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Table shape (overrides table.* in athq.yaml)")]
pub struct TableShapeArgs {
    /// Storage format of the logs (not an output format)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// How the files are laid out: plain, hive or firehose
    #[arg(long, value_enum, conflicts_with_all = ["hive", "plain"])]
    pub layout: Option<Layout>,
    /// Hive-compatible layout (aws-account-id=…/year=…/month=…/day=…), short for --layout hive
    #[arg(long, conflicts_with = "plain")]
    pub hive: bool,
    /// AWS's plain layout (AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD), short for --layout plain
    #[arg(long)]
    pub plain: bool,
    /// Hourly partitions (…/HH or hour=HH)
    #[arg(long, conflicts_with_all = ["daily", "monthly"])]
    pub hourly: bool,
    /// Daily partitions
    #[arg(long, conflicts_with = "monthly")]
    pub daily: bool,
    /// Monthly partitions (the firehose layout only)
    #[arg(long)]
    pub monthly: bool,
    /// The firehose layout's partition column [default: ingest_hour, ingest_day or ingest_month]
    #[arg(long, value_name = "NAME")]
    pub partition_column: Option<String>,
    /// Partition projection (shorthand for --partitioning projection)
    #[arg(long, conflicts_with = "partitioning")]
    pub projection: bool,
    /// How Athena finds partitions
    #[arg(long, value_enum)]
    pub partitioning: Option<Partitioning>,
    /// Fields in file order: v2, v3, v4, v5, all, or a list ("srcaddr dstaddr …" or "${srcaddr} ${dstaddr} …")
    #[arg(long, value_name = "SET")]
    pub fields: Option<String>,
    /// S3 prefix ending in AWSLogs/
    #[arg(long, value_name = "S3_URL")]
    pub location: Option<String>,
    /// Account ids, comma-separated
    #[arg(long, value_name = "IDS")]
    pub accounts: Option<String>,
    /// Regions, comma-separated
    #[arg(long, value_name = "REGIONS")]
    pub regions: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Query name
    pub query: String,
    /// A parameter value (repeatable)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Old spelling of --engine (athena or local)
    #[arg(long, value_enum, hide = true)]
    pub dialect: Option<Dialect>,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

/// How results are printed.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format of the rows
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the results to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format chart: the number column to draw (repeatable; default every one)
    #[arg(long = "y", value_name = "COLUMN")]
    pub y: Vec<String>,
    /// With --format chart: plain ASCII instead of Unicode blocks
    #[arg(long)]
    pub ascii: bool,
    /// With --format chart: the time zone of the time axis (an IANA name such as Europe/Berlin)
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,
}

impl OutputArgs {
    /// Rows as a table on stdout: what athq prints by itself.
    pub fn stdout(format: OutputFormat) -> OutputArgs {
        OutputArgs { format, output: None, y: Vec::new(), ascii: false, tz: "UTC".into() }
    }
}

/// How a statement runs.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Running")]
pub struct ExecOptions {
    /// Stop the query if it has not finished after this many seconds
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Reuse an identical query's result up to this many minutes old (Athena result reuse)
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..=10080))]
    pub reuse_minutes: Option<u32>,
}

impl Command {
    /// `--threads`, on the commands that run the embedded engine.
    pub fn threads(&self) -> Option<usize> {
        match self {
            Command::Run(a) => a.local.threads,
            Command::Exec(a) => a.local.threads,
            Command::Sql(a) => a.local.threads,
            Command::Report(a) => a.local.threads,
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Query name
    pub query: String,
    /// A parameter value (repeatable)
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub local: LocalArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub cost: CostArgs,
}

/// What a query may scan on Athena, checked before it starts.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Cost (Athena)")]
pub struct CostArgs {
    /// Print what the query would scan at most and what that costs ($5/TB, 10 MB minimum), from
    /// the S3 objects of the partitions the window selects (Parquet: the column chunks the query
    /// reads); start nothing
    #[arg(long)]
    pub estimate: bool,
    /// Refuse to start a statement whose estimate exceeds SIZE (5GB, 500MiB), or one athq cannot
    /// estimate (another table); `none`: no limit for this run [default: max_scan in athq.yaml]
    #[arg(long, value_name = "SIZE|none", value_parser = parse_max_scan)]
    pub max_scan: Option<MaxScan>,
}

/// `--max-scan`: a size, or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxScan {
    Bytes(u64),
    Unlimited,
}

fn parse_max_scan(text: &str) -> Result<MaxScan, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(MaxScan::Unlimited);
    }
    crate::settings::parse_size(text)
        .map(MaxScan::Bytes)
        .ok_or_else(|| format!("`{text}` is not a size such as 5GB or 500MiB, or `none`"))
}

/// Where the embedded engine reads.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Embedded engine (--engine local)")]
pub struct LocalArgs {
    /// Flow logs: a directory, a glob, s3://bucket/prefix, or logs:GROUP (CloudWatch Logs) [env: ATHQ_SOURCE] [default: source in athq.yaml]
    #[arg(long, value_name = "PATH|S3_URL|logs:GROUP")]
    pub source: Option<String>,
    /// With --source logs:GROUP: read only this network interface's streams (eni-…)
    #[arg(long, value_name = "ENI")]
    pub interface: Option<String>,
    /// Threads to run on [env: ATHQ_THREADS] [default: threads in athq.yaml, else every core this process may use]
    #[arg(long, value_name = "N", value_parser = crate::settings::parse_threads)]
    pub threads: Option<usize>,
    /// The most memory the engine's operators may hold (2GB, 512MiB); beyond it, sorts and
    /// aggregations spill to temporary files [env: ATHQ_MEMORY_LIMIT] [default: memory_limit in
    /// athq.yaml, else 80% of this machine's memory]
    #[arg(long, value_name = "SIZE", value_parser = crate::settings::parse_memory_limit)]
    pub memory_limit: Option<u64>,
    /// Read every file of the source, whatever the date in its path
    #[arg(long)]
    pub all: bool,
    /// Fail on an unreadable file instead of skipping it with a warning
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write athq.1 and a page per command (athq-run.1, …) into this directory
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write the page
    #[arg(short, long, value_name = "FILE", default_value = "athq-report.html")]
    pub output: PathBuf,
    /// The library queries to run, comma-separated, in order [default: bytes-over-time, reject-top,
    /// top-talkers, outbound-well-known-ports, port-scan, then every query tagged detection]
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub queries: Vec<String>,
    /// A parameter for every query that has it, NAME=VALUE, or for one, QUERY.NAME=VALUE (repeatable)
    #[arg(short = 'p', long = "param", value_name = "[QUERY.]NAME=VALUE")]
    pub params: Vec<String>,
    /// The page's title [default: VPC Flow Logs report, or Investigation of ADDRESS with --ip]
    #[arg(long)]
    pub title: Option<String>,
    /// A page about one address: its peers (`peer`), its traffic over time (`peer-over-time`) and
    /// the rows of the detections that name it; `-p ip=ADDRESS` for every query that takes one
    #[arg(long, value_name = "ADDRESS")]
    pub ip: Option<String>,
    /// An ad-hoc section: the statement in FILE, run as it is, titled NAME (repeatable; after the
    /// library's sections)
    #[arg(long = "sql", value_name = "NAME=FILE")]
    pub sql: Vec<String>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub local: LocalArgs,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub cost: CostArgs,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Directory to write AWSLogs/… into
    #[arg(short, long, value_name = "DIR", required_unless_present = "out")]
    pub output: Option<PathBuf>,
    /// Old spelling of --output
    #[arg(long, value_name = "DIR", hide = true)]
    pub out: Option<PathBuf>,
    /// Days of logs, ending now
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=400))]
    pub days: u32,
    /// Records in all
    #[arg(long, default_value_t = 100_000)]
    pub records: u64,
    /// Storage format: gzipped text every five minutes (text and regex tables read the same
    /// files), or Parquet a day (an hour with --hourly)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Layout: AWS's plain or Hive folders, or Firehose's (`YYYY/MM/dd/HH/` below --output, objects
    /// without a header line)
    #[arg(long, value_enum, conflicts_with = "hive")]
    pub layout: Option<Layout>,
    /// Hive-compatible layout, short for --layout hive
    #[arg(long)]
    pub hive: bool,
    /// Hourly folders
    #[arg(long)]
    pub hourly: bool,
    /// Fields in file order: v2, v3, v4, v5, all, or a list
    #[arg(long, default_value = "v2")]
    pub fields: String,
    /// Random seed: the same seed writes the same files
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Behaviour to seed for the detection queries, comma-separated: none (clean traffic only),
    /// all, scanners, external-scan, internal-scan, beaconing, exfiltration, dns-tunnel,
    /// crypto-mining, brute-force, new-destination
    #[arg(long, value_enum, value_delimiter = ',', default_value = "scanners", value_name = "LIST")]
    pub scenarios: Vec<crate::sample::Scenario>,
    /// Account id in paths and records
    #[arg(long, default_value = "123456789012")]
    pub account: String,
    /// Region in paths and records
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    #[command(flatten)]
    pub kind: KindArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["sql", "file"])))]
pub struct ExecArgs {
    /// The SQL to run
    #[arg(long, value_name = "SQL")]
    pub sql: Option<String>,
    /// A file holding the SQL (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A value for the next `?` in the SQL (repeatable): a number, true/false, or text (quoted
    /// for you). Sent to Athena as an execution parameter; bound as a literal on the embedded engine
    #[arg(short = 'P', long = "parameter", value_name = "VALUE")]
    pub parameters: Vec<String>,
    #[command(flatten)]
    pub local: LocalArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub cost: CostArgs,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub local: LocalArgs,
    /// Output format of the rows (`\format` changes it inside)
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, help_heading = "Output")]
    pub format: OutputFormat,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub cost: CostArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// How far back: a duration (30m, 12h, 7d) or a time (2026-11-01, RFC 3339, epoch seconds)
    #[arg(long, value_name = "WHEN", default_value = "7d")]
    pub since: String,
    /// Only executions in this state (repeatable)
    #[arg(long, value_enum, value_name = "STATE")]
    pub state: Vec<HistoryState>,
    /// At most this many executions, newest first
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// An execution state, as `--state` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum HistoryState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// Query execution id
    pub id: String,
}

#[derive(Debug, Args)]
pub struct ResultsArgs {
    /// Query execution id
    pub id: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum TableCommand {
    /// Print CREATE EXTERNAL TABLE for the configured table
    #[command(
        after_help = "Examples:\n  athq table ddl\n  athq table ddl --format parquet --hive --hourly --projection\n  athq table ddl --format regex --fields v5 --location s3://logs/AWSLogs/"
    )]
    Ddl(DdlArgs),
    /// Create the configured table: run its DDL on Athena, or create it through the Glue API
    #[command(
        after_help = "Examples:\n  athq table create\n  athq table create --format parquet --hive --projection\n  athq table create --via glue --replace"
    )]
    Create(CreateArgs),
    /// Copy the text table into a partitioned Parquet table with Athena (CTAS, then INSERT INTO)
    #[command(
        after_help = "Examples:\n  athq table convert parquet --from 2026-11-01 --target-location s3://logs/parquet/ --print\n  athq table convert parquet --from 2026-01-01 --to 2026-06-30 --target-location s3://logs/parquet/\n\nEach statement writes at most 100 partitions; partitions the copy has already are skipped, so running it again resumes."
    )]
    Convert(ConvertArgs),
}

/// What `table convert` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConvertTo {
    /// Apache Parquet, in the Hive layout AWS delivers Parquet in
    Parquet,
}

/// `--to` is the last day on every command; a format given there is pointed at its place.
fn last_day(text: &str) -> Result<jiff::civil::Date, String> {
    if text.eq_ignore_ascii_case("parquet") {
        return Err("--to is the last day here, as on every command: write `athq table convert parquet --from YYYY-MM-DD [--to YYYY-MM-DD]`".into());
    }
    text.parse().map_err(|e| format!("{e}"))
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The format of the copy
    #[arg(value_enum)]
    pub into: ConvertTo,
    /// First day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: jiff::civil::Date,
    /// Last day, inclusive (default: today, UTC)
    #[arg(long, value_name = "DATE", value_parser = last_day)]
    pub to: Option<jiff::civil::Date>,
    /// Name of the copy, in the same database [default: the table's name + _parquet]
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// Where the copy's files go (empty before the first run): s3://bucket/prefix/
    #[arg(long, value_name = "S3_URL")]
    pub target_location: String,
    /// Compression of the Parquet files
    #[arg(long, value_enum, default_value_t = crate::table::convert::Compression::Snappy)]
    pub compression: crate::table::convert::Compression,
    /// Print the statements instead of running them
    #[arg(long)]
    pub print: bool,
    #[command(flatten)]
    pub cost: CostArgs,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

#[derive(Debug, Args)]
pub struct DdlArgs {
    #[command(flatten)]
    pub kind: KindArgs,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

/// Which kind of log a command is about.
#[derive(Debug, Args, Default, Clone)]
pub struct KindArgs {
    /// The kind of log [default: flowlogs, the `table:` in athq.yaml]; other kinds' tables are
    /// `tables:` entries
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(crate::logs::KINDS.iter().map(|k| k.name())))]
    pub kind: Option<String>,
    /// An organization trail's id (o-…): its logs are under AWSLogs/<id>/<account>/ (CloudTrail)
    #[arg(long, value_name = "ID", requires = "kind")]
    pub organization: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Via {
    /// Run the DDL as an Athena query
    Athena,
    /// Call the Glue Data Catalog API directly
    Glue,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// How to create it
    #[arg(long, value_enum, default_value_t = Via::Athena)]
    pub via: Via,
    /// With --via glue: update the table in place when it exists
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

#[derive(Debug, Subcommand)]
pub enum SavedCommand {
    /// What sync would change: create, update, unchanged, prune, conflict
    #[command(
        after_help = "Examples:\n  athq saved plan --workgroup analysts\n  athq saved plan --workgroup analysts --check   # exit 1 when anything would change or conflicts"
    )]
    Plan(PlanArgs),
    /// Make the work groups' named queries match the library
    #[command(
        after_help = "Examples:\n  athq saved sync --workgroup analysts\n  athq saved sync --workgroup a --workgroup b --prune"
    )]
    Sync(SavedArgs),
    /// The named queries in a work group, athq's and others
    List(SavedListArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub saved: SavedArgs,
    /// Exit 1 when anything would change or conflicts (console edits included), for CI
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct SavedArgs {
    /// Prefix for the names (e.g. `athq/`; prepared statements take letters, digits, _, @ and :)
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Prepared statements (EXECUTE name USING …) instead of named queries
    #[arg(long)]
    pub prepared: bool,
    /// Also delete athq's named queries that are no longer in the library (never anyone else's)
    #[arg(long)]
    pub prune: bool,
    /// Overwrite athq's named queries even when they were edited in the console
    #[arg(long)]
    pub force: bool,
    /// The window saved queries look back over, ending when they run
    #[arg(long, value_name = "HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=87840))]
    pub hours: u32,
}

#[derive(Debug, Args)]
pub struct SavedListArgs {
    /// The prepared statements instead of the named queries
    #[arg(long)]
    pub prepared: bool,
}

#[derive(Debug, Subcommand)]
pub enum PartitionsCommand {
    /// MSCK REPAIR TABLE (Hive layout with catalog partitions only)
    Repair(RepairArgs),
    /// ALTER TABLE … ADD IF NOT EXISTS PARTITION for a date range
    #[command(
        after_help = "Examples:\n  athq partitions add --from 2026-11-01 --print\n  athq partitions add --from 2026-01-01 --to 2026-06-30 --hourly --print"
    )]
    Add(RangeArgs),
    /// ALTER TABLE … DROP IF EXISTS PARTITION for a date range (S3 files stay)
    Drop(RangeArgs),
    /// Date folders in S3 that the catalog has no partition for
    #[command(after_help = "Examples:\n  athq partitions missing\n  athq partitions missing --hive --hourly")]
    Missing(MissingArgs),
}

#[derive(Debug, Args)]
pub struct MissingArgs {
    /// Exit 1 when any partition is missing, for CI
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Print the statement instead of running it
    #[arg(long)]
    pub print: bool,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// First day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: jiff::civil::Date,
    /// Last day, inclusive (default: today, UTC)
    #[arg(long, value_name = "DATE")]
    pub to: Option<jiff::civil::Date>,
    /// Print the statements instead of running them
    #[arg(long)]
    pub print: bool,
    /// Run ALTER TABLE statements on Athena, or call Glue BatchCreatePartition (add only)
    #[arg(long, value_enum, default_value_t = Via::Athena, conflicts_with = "print")]
    pub via: Via,
    #[command(flatten)]
    pub exec: ExecOptions,
    #[command(flatten)]
    pub kind: KindArgs,
    #[command(flatten)]
    pub shape: TableShapeArgs,
}
