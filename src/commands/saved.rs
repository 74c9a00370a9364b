//! `athq saved plan|sync|list`: the library as named queries in Athena work groups.

use crate::cli::{SavedArgs, SavedCommand};
use crate::commands::{aws, require_athena};
use crate::error::{Drift, InputError};
use crate::output::{Printer, text_table};
use crate::render::{self, Dialect, RenderContext, TimeWindow, WindowSpec};
use crate::settings::Settings;
use crate::sync::{self, Action, Desired, Kind};

/// Queries athq left out, with the reason.
type Skipped = Vec<(String, String)>;

/// The library rendered for Athena: default parameters, a `?` for each parameter without one, the
/// configured table, a window that ends when the query runs. Queries that cannot render that way,
/// or whose name Athena would refuse, are skipped with the reason.
fn desired(
    settings: &Settings,
    printer: &Printer,
    args: &SavedArgs,
    kind: Kind,
) -> anyhow::Result<(Vec<Desired>, Skipped)> {
    if kind == Kind::PreparedStatements && !args.prefix.is_empty() {
        // Checked once here, not as one skip a query.
        kind.check_name(&format!("{}q", args.prefix)).map_err(|_| {
            InputError::new(format!("--prefix: `{}` cannot begin a prepared statement's name", args.prefix))
                .hint("prepared statement names take letters, digits, _, @ and :, and start with a letter or _ (e.g. --prefix athq_)")
        })?;
    }
    let lib = crate::commands::library(settings, printer)?;
    let last = jiff::SignedDuration::from_hours(i64::from(args.hours));
    let ctx = RenderContext {
        table: &settings.table,
        vpc_cidrs: &settings.vpc_cidrs,
        window: TimeWindow::resolve(&WindowSpec::Last(last), settings.now)?,
        dialect: Dialect::Athena,
        relative: Some(last),
    };
    // Prepared statements name no database: their SQL names the table in full.
    let database = match kind {
        Kind::NamedQueries => settings.table.database.as_str(),
        Kind::PreparedStatements => "",
    };
    let (mut ok, mut skipped) = (Vec::new(), Vec::new());
    for q in lib.iter() {
        match render::render_parameterised(q, &ctx) {
            Ok(p) => {
                let about = [q.title.clone(), p.describe(q), q.description.trim().to_string()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| if s.ends_with('.') { s } else { s + "." })
                    .collect::<Vec<_>>()
                    .join(" ");
                let name = kind.name(&args.prefix, &q.name);
                match kind.check_name(&name) {
                    Ok(()) => ok.push(Desired::new(name, &q.name, q.version, &about, database, p.sql)),
                    Err(reason) => skipped.push((q.name.clone(), reason)),
                }
            }
            Err(e) => skipped.push((q.name.clone(), e.to_string())),
        }
    }
    Ok((ok, skipped))
}

fn kind_of(prepared: bool) -> Kind {
    if prepared { Kind::PreparedStatements } else { Kind::NamedQueries }
}

pub async fn exec(settings: &Settings, printer: &Printer, cmd: SavedCommand) -> anyhow::Result<()> {
    require_athena(settings, "saved")?;
    let client = aws(settings, printer).await?.athena();
    match cmd {
        SavedCommand::List(list) => {
            let kind = kind_of(list.prepared);
            for wg in &settings.workgroups {
                let actual = sync::actual(&client, kind, wg).await?;
                let rows = actual
                    .iter()
                    .map(|a| {
                        let (state, version) = match a.marker() {
                            None => ("not athq's".to_string(), "-".to_string()),
                            Some(m) if a.drifted() => {
                                ("athq's, edited since sync".into(), m.version.to_string())
                            }
                            Some(m) => ("athq's".into(), m.version.to_string()),
                        };
                        let mut row = vec![wg.clone(), a.name.clone(), state, version];
                        if kind == Kind::NamedQueries {
                            row.extend([a.database.clone(), a.id.clone()]);
                        }
                        row
                    })
                    .collect();
                let headers: &[&str] = match kind {
                    Kind::NamedQueries => &["WORKGROUP", "NAME", "STATE", "VERSION", "DATABASE", "ID"],
                    Kind::PreparedStatements => &["WORKGROUP", "NAME", "STATE", "VERSION"],
                };
                printer.data(&text_table(headers, rows, &[3]))?;
            }
            Ok(())
        }
        SavedCommand::Plan(plan) => {
            let args = &plan.saved;
            let kind = kind_of(args.prepared);
            let (want, skipped) = desired(settings, printer, args, kind)?;
            let (mut pending, mut conflicts) = (0, 0);
            for wg in &settings.workgroups {
                let actions = plan_for(&client, kind, wg, args, &want, &skipped).await?;
                let (changes, c) = report(printer, wg, &actions)?;
                pending += changes;
                conflicts += c;
            }
            if plan.check && pending + conflicts > 0 {
                return Err(
                    Drift::new(format!("{pending} change(s) pending, {conflicts} conflict(s)")).into()
                );
            }
            Ok(())
        }
        SavedCommand::Sync(args) => {
            let kind = kind_of(args.prepared);
            let (want, skipped) = desired(settings, printer, &args, kind)?;
            let mut conflicts = 0;
            for wg in &settings.workgroups {
                let actions = plan_for(&client, kind, wg, &args, &want, &skipped).await?;
                let (total, c) = report(printer, wg, &actions)?;
                conflicts += c;
                match sync::apply(&client, kind, wg, &actions).await {
                    Ok(done) => printer.status(&format!("{wg}: applied: {}", done.summary())),
                    Err((done, e)) => {
                        let left = total - (done.created + done.updated + done.replaced + done.pruned);
                        return Err(anyhow::Error::new(e).context(format!(
                            "sync of work group {wg} stopped: applied {}; {left} change(s) not applied — run `athq saved sync` again to converge",
                            done.summary()
                        )));
                    }
                }
            }
            if conflicts > 0 {
                return Err(Drift::new(format!("{conflicts} conflict(s) left as they are"))
                    .hint("`athq saved plan` lists them; --force overwrites athq's own edited queries")
                    .into());
            }
            Ok(())
        }
    }
}

/// The plan for one work group, from what it holds now.
async fn plan_for(
    client: &aws_sdk_athena::Client,
    kind: Kind,
    workgroup: &str,
    args: &SavedArgs,
    want: &[Desired],
    skipped: &Skipped,
) -> anyhow::Result<Vec<Action>> {
    let actual = sync::actual(client, kind, workgroup).await?;
    Ok(sync::plan(kind, &args.prefix, want, skipped, &actual, args.prune, args.force))
}

/// Prints the plan for one work group; returns how many changes and conflicts it holds.
fn report(printer: &Printer, workgroup: &str, actions: &[Action]) -> anyhow::Result<(usize, usize)> {
    for a in actions {
        printer.line(&format!("{workgroup}  {}", a.line()))?;
    }
    let count = |f: fn(&Action) -> bool| actions.iter().filter(|a| f(a)).count();
    let changes = count(Action::changes_something);
    printer.status(&format!(
        "{workgroup}: {} to create, {} to update, {} to replace, {} to prune, {} unchanged, {} conflict(s), {} skipped",
        count(|a| matches!(a, Action::Create(_))),
        count(|a| matches!(a, Action::Update { .. })),
        count(|a| matches!(a, Action::Replace { .. })),
        count(|a| matches!(a, Action::Prune { .. })),
        count(|a| matches!(a, Action::Unchanged(_))),
        count(|a| matches!(a, Action::Conflict { .. })),
        count(|a| matches!(a, Action::Skipped { .. })),
    ));
    Ok((changes, count(|a| matches!(a, Action::Conflict { .. }))))
}
