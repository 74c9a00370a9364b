//! `athq cancel ID`: stop a running execution.

use crate::cli::IdArgs;
use crate::commands::athena;
use crate::output::Printer;
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: IdArgs) -> anyhow::Result<()> {
    let athena = athena(settings, printer, "cancel").await?;
    athena.cancel(&args.id).await?;
    let e = athena.status(&args.id).await?;
    printer.status(&format!("query {} is {}", e.id, e.state));
    Ok(())
}
