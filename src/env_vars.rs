//! Every environment variable athq reads, in one place. Each overrides the matching `athq.yaml`
//! key and is overridden by the matching flag. AWS credentials, `AWS_PROFILE`, `AWS_REGION` and
//! `AWS_ENDPOINT_URL` are read by the standard AWS config chain, not here.

/// Path of the config file (instead of searching for `athq.yaml`).
pub const ATHQ_CONFIG: &str = "ATHQ_CONFIG";
/// Athena work group.
pub const ATHQ_WORKGROUP: &str = "ATHQ_WORKGROUP";
/// Data catalog.
pub const ATHQ_CATALOG: &str = "ATHQ_CATALOG";
/// Database of the flow-log table.
pub const ATHQ_DATABASE: &str = "ATHQ_DATABASE";
/// Name of the flow-log table.
pub const ATHQ_TABLE: &str = "ATHQ_TABLE";
/// S3 location for query results.
pub const ATHQ_OUTPUT_LOCATION: &str = "ATHQ_OUTPUT_LOCATION";
/// Default engine: `athena` or `local`.
pub const ATHQ_ENGINE: &str = "ATHQ_ENGINE";
/// Flow-log files for the embedded engine: a directory, a glob, or `s3://bucket/prefix`.
pub const ATHQ_SOURCE: &str = "ATHQ_SOURCE";
/// Internal networks, comma-separated CIDR blocks.
pub const ATHQ_VPC_CIDRS: &str = "ATHQ_VPC_CIDRS";
/// Extra query directories, separated like PATH (`:` on Unix).
pub const ATHQ_LIBRARY: &str = "ATHQ_LIBRARY";
/// The current time, for reproducible windows (RFC 3339 or epoch seconds).
pub const ATHQ_NOW: &str = "ATHQ_NOW";

/// Threads the embedded engine may use (default: the cores this process may run on).
pub const ATHQ_THREADS: &str = "ATHQ_THREADS";
/// The most memory the embedded engine's operators may hold before sorts and aggregations spill
/// to temporary files (default: 80% of the memory this process may use).
pub const ATHQ_MEMORY_LIMIT: &str = "ATHQ_MEMORY_LIMIT";
/// Where `athq sql` keeps its history (default: the user's data directory, `athq/history`).
pub const ATHQ_HISTORY: &str = "ATHQ_HISTORY";

/// All of the above, for documentation and tests.
pub const ALL: &[&str] = &[
    ATHQ_CONFIG,
    ATHQ_WORKGROUP,
    ATHQ_CATALOG,
    ATHQ_DATABASE,
    ATHQ_TABLE,
    ATHQ_OUTPUT_LOCATION,
    ATHQ_ENGINE,
    ATHQ_SOURCE,
    ATHQ_VPC_CIDRS,
    ATHQ_LIBRARY,
    ATHQ_NOW,
    ATHQ_HISTORY,
    ATHQ_THREADS,
    ATHQ_MEMORY_LIMIT,
];
