//! `athq results ID`: fetch a finished execution's results again.

use crate::cli::ResultsArgs;
use crate::commands::{athena, print_results};
use crate::output::Printer;
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: ResultsArgs) -> anyhow::Result<()> {
    let athena = athena(settings, printer, "results").await?;
    print_results(athena.as_ref(), &args.id, &args.output, printer).await
}
