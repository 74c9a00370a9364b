//! `athq sample`: synthetic flow logs in AWS's layout.

use crate::cli::SampleArgs;
use crate::error::InputError;
use crate::output::Printer;
use crate::sample::{SampleSpec, generate};
use crate::settings::Settings;
use crate::table::{self, FieldSet, Format};

pub fn exec(settings: &Settings, printer: &Printer, args: SampleArgs) -> anyhow::Result<()> {
    if args.out.is_some() {
        printer.status("warning: `sample --out` is now `sample --output` (or -o)");
    }
    let out = args.output.clone().or(args.out.clone()).expect("clap requires --output or --out");
    let fields = FieldSet::parse(&args.fields).map_err(|e| InputError::new(format!("--fields: {e}")))?;
    table::validate_account(&args.account).map_err(|e| InputError::new(format!("--account: {e}")))?;
    table::validate_region(&args.region).map_err(|e| InputError::new(format!("--region: {e}")))?;
    let layout = args.layout.unwrap_or(if args.hive { table::Layout::Hive } else { table::Layout::Plain });
    if layout == table::Layout::Firehose && args.format == Format::Parquet {
        return Err(InputError::new("Firehose delivers flow logs as text, not Parquet")
            .hint("leave out --format parquet with --layout firehose")
            .into());
    }
    let spec = SampleSpec {
        out: out.clone(),
        scenarios: crate::sample::Scenario::expand(&args.scenarios),
        days: args.days,
        records: args.records,
        parquet: args.format == Format::Parquet,
        layout,
        hourly: args.hourly,
        fields,
        seed: args.seed,
        account: args.account,
        region: args.region,
        internal: settings.vpc_cidrs.clone(),
        now: settings.now,
    };
    let report = generate(&spec).map_err(|e| anyhow::anyhow!(e))?;
    printer.status(&format!(
        "wrote {} records in {} files ({}) under {}",
        report.records,
        report.files,
        crate::engine::human_bytes(report.bytes as i64),
        if layout == table::Layout::Firehose { out.clone() } else { out.join("AWSLogs") }.display()
    ));
    Ok(())
}
