//! `athq list`: the library, one query a line.

use crate::cli::ListArgs;
use crate::library::Library;
use crate::output::{Printer, text_table};
use crate::settings::Settings;

pub fn exec(settings: &Settings, printer: &Printer, args: ListArgs) -> anyhow::Result<()> {
    let lib = Library::load(&settings.library_dirs)?;
    let mut rows: Vec<Vec<String>> = lib
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
    for (name, b) in lib.broken().filter(|_| args.tag.is_none()) {
        rows.push(vec![
            name.clone(),
            "-".into(),
            "-".into(),
            format!("BROKEN: {}", b.error()),
            String::new(),
        ]);
    }
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    if lib.broken().next().is_some() {
        printer.status("warning: some query files do not load: `athq check` lists every problem");
    }
    printer.data(&text_table(&["NAME", "VERSION", "NEEDS", "TITLE", "PARAMETERS"], rows, &[1]))
}
