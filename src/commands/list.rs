//! `athq list`: the library, one query a line.

use crate::cli::ListArgs;
use crate::library::Library;
use crate::output::{Printer, text_table};
use crate::settings::Settings;

pub fn exec(settings: &Settings, printer: &Printer, args: ListArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let rows: Vec<Vec<String>> = lib
        .iter()
        .filter(|q| args.tag.as_ref().is_none_or(|t| q.tags.contains(t)))
        .map(|q| {
            vec![
                q.name.clone(),
                q.version.to_string(),
                format!("v{}", q.min_format_version()),
                q.title.clone(),
                q.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
            ]
        })
        .collect();
    printer.data(&text_table(&["NAME", "VERSION", "NEEDS", "TITLE", "PARAMETERS"], rows, &[1]))
}
