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
    if let Some(kind) = crate::commands::resolve::other_kind(&args.kind)? {
        return other_kind(settings, printer, kind, &args, out);
    }
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

/// `sample --kind K`: the kind's own generator, in AWS's layout for it.
fn other_kind(
    settings: &Settings,
    printer: &Printer,
    kind: &dyn crate::logs::LogKind,
    args: &SampleArgs,
    out: std::path::PathBuf,
) -> anyhow::Result<()> {
    let flow_only = [
        ("--format", args.format != Format::Text),
        ("--layout", args.layout.is_some()),
        ("--hive", args.hive),
        ("--hourly", args.hourly),
    ];
    if let Some((flag, _)) = flow_only.iter().find(|(_, given)| *given) {
        return Err(InputError::new(format!(
            "{flag} shapes flow-log samples; it does nothing for {}",
            kind.title()
        ))
        .hint(format!("leave {flag} out"))
        .into());
    }
    table::validate_account(&args.account).map_err(|e| InputError::new(format!("--account: {e}")))?;
    table::validate_region(&args.region).map_err(|e| InputError::new(format!("--region: {e}")))?;
    if let Some(org) = &args.kind.organization {
        crate::settings::validate_organization(org)
            .map_err(|m| InputError::new(format!("--organization: {m}")))?;
    }
    let spec = crate::logs::KindSample {
        out: out.clone(),
        days: args.days,
        records: args.records,
        seed: args.seed,
        account: args.account.clone(),
        region: args.region.clone(),
        organization: args.kind.organization.clone(),
        now: settings.now,
    };
    let report = kind.sample(&spec).map_err(|e| anyhow::anyhow!(e))?;
    printer.status(&format!(
        "wrote {} {} records in {} files ({}) and {} other files beside them under {}",
        report.records,
        kind.title(),
        report.files,
        crate::engine::human_bytes(report.bytes as i64),
        report.digests,
        out.join("AWSLogs").display()
    ));
    Ok(())
}
