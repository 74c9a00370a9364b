//! `athq status ID`: an execution's state, statistics and SQL.

use std::fmt::Write as _;

use crate::cli::IdArgs;
use crate::commands::athena;
use crate::output::Printer;
use crate::settings::Settings;

pub async fn exec(settings: &Settings, printer: &Printer, args: IdArgs) -> anyhow::Result<()> {
    let e = athena(settings, printer, "status").await?.status(&args.id).await?;
    let mut out = String::new();
    let _ = writeln!(out, "id:         {}", e.id);
    let _ = writeln!(out, "state:      {}", e.state);
    if let Some(r) = &e.reason {
        let _ = writeln!(out, "reason:     {r}");
    }
    let _ = writeln!(out, "type:       {}", e.statement_type);
    let _ = writeln!(out, "workgroup:  {}", e.workgroup.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "database:   {}", e.database.as_deref().unwrap_or("-"));
    let _ = writeln!(
        out,
        "scanned:    {} ({} bytes)",
        crate::engine::human_bytes(e.data_scanned),
        e.data_scanned
    );
    let _ = writeln!(out, "engine:     {} ms", e.engine_ms);
    let _ = writeln!(out, "queue:      {} ms", e.queue_ms);
    let _ = writeln!(out, "cost:       ${:.4}", e.cost_usd());
    let _ = writeln!(out, "reused:     {}", if e.reused { "yes" } else { "no" });
    let _ = writeln!(out, "results:    {}", e.output_location.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "\n{}", e.sql);
    printer.data(&out)
}
