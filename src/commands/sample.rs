//! `athq sample`: synthetic flow logs in AWS's layout.

use crate::cli::{SampleArgs, SampleFormat};
use crate::error::InputError;
use crate::output::Printer;
use crate::sample::{SampleSpec, generate};
use crate::settings::Settings;
use crate::table::{self, FieldSet};

pub fn exec(settings: &Settings, printer: &Printer, args: SampleArgs) -> anyhow::Result<()> {
    let fields = FieldSet::parse(&args.fields).map_err(|e| InputError::new(format!("--fields: {e}")))?;
    table::validate_account(&args.account).map_err(|e| InputError::new(format!("--account: {e}")))?;
    table::validate_region(&args.region).map_err(|e| InputError::new(format!("--region: {e}")))?;
    let spec = SampleSpec {
        out: args.out.clone(),
        days: args.days,
        records: args.records,
        parquet: args.format == SampleFormat::Parquet,
        hive: args.hive,
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
        args.out.join("AWSLogs").display()
    ));
    Ok(())
}
