//! `athq completions SHELL` and `athq man`: the command line as the shell and `man` see it.

use clap::CommandFactory;
use clap::builder::{PossibleValue, PossibleValuesParser};

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::commands::library;
use crate::error::InputError;
use crate::output::Printer;
use crate::settings::Settings;

/// Subcommands whose first argument is a library query.
const TAKES_A_QUERY: &[&str] = &["run", "show", "render"];

fn leak(s: &str) -> &'static str {
    // The process ends right after writing the script; the strings live as long as it does.
    Box::leak(s.to_owned().into_boxed_str())
}

pub fn completions(settings: &Settings, printer: &Printer, args: CompletionsArgs) -> anyhow::Result<()> {
    let lib = library(settings, printer)?;
    let names: Vec<PossibleValue> =
        lib.iter().map(|q| PossibleValue::new(leak(&q.name)).help(leak(&q.title))).collect();
    let mut cmd = Cli::command();
    for sub in TAKES_A_QUERY {
        cmd = cmd.mut_subcommand(sub, |s| {
            s.mut_arg("query", |a| a.value_parser(PossibleValuesParser::new(names.clone())))
        });
    }
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "athq", &mut script);
    printer.data(&String::from_utf8_lossy(&script))
}

pub fn man(printer: &Printer, args: ManArgs) -> anyhow::Result<()> {
    let cmd = Cli::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| InputError::new(format!("--dir {}: {e}", dir.display())))?;
            clap_mangen::generate_to(cmd, &dir)?;
            printer.status(&format!("wrote the manual pages into {}", dir.display()));
            Ok(())
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            printer.data(&String::from_utf8_lossy(&page))
        }
    }
}
