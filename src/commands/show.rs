//! `athq show Q`: one query's description, parameters and the fields it needs.

use std::fmt::Write as _;

use crate::cli::ShowArgs;
use crate::output::{Printer, text_table};
use crate::settings::Settings;

pub fn exec(settings: &Settings, printer: &Printer, args: ShowArgs) -> anyhow::Result<()> {
    let lib = crate::commands::library(settings, printer)?;
    let q = lib.get(&args.query)?;
    if args.old_source {
        printer.status("warning: `show --source` is now `show --sql` (--source names the data to read)");
    }
    if args.sql || args.old_source {
        return printer.data(&q.text);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{} (version {})", q.name, q.version);
    let _ = writeln!(out, "{}", q.title);
    if !q.description.is_empty() {
        let _ = writeln!(out, "\n{}", q.description);
    }
    let fields: Vec<&str> = q.fields.iter().map(|f| f.aws_name).collect();
    let _ = writeln!(out, "\nfields:  {} (format v{} or later)", fields.join(", "), q.min_format_version());
    if !q.tags.is_empty() {
        let _ = writeln!(out, "tags:    {}", q.tags.join(", "));
    }
    let _ = writeln!(out, "source:  {}", q.source);
    let _ = writeln!(out, "sha256:  {}", q.content_hash());
    if q.params.is_empty() {
        let _ = writeln!(out, "\nparameters: none");
    } else {
        let rows =
            q.params.iter().map(|p| vec![p.name.clone(), p.summary(), p.description.clone()]).collect();
        let _ = write!(out, "\n{}", text_table(&["PARAMETER", "TYPE", "DESCRIPTION"], rows, &[]));
    }
    printer.data(&out)
}
