//! Saved-query sync: the library, rendered with default parameters for the configured table (a `?`
//! for each parameter without one), as named queries or prepared statements in Athena work groups.
//! Desired state is the rendered library; actual state is every named query in the work group
//! (ListNamedQueries, 50 a page; BatchGetNamedQuery, 50 a call, retrying unprocessed ids) or every
//! prepared statement (ListPreparedStatements, BatchGetPreparedStatement, the same way). athq marks the queries it owns in their description with the query's
//! name, version and a hash of its SQL and database, so it can tell its own queries from others,
//! and a query edited in the console (drift) from one it wrote. Plan is a pure function; apply is
//! paced under Athena's call rates and can be re-run until it converges.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_athena::Client;
use sha2::{Digest, Sha256};

use crate::engine::EngineError;
use crate::engine::aws::aws_error;

/// Athena's limit for descriptions, of named queries and prepared statements alike.
pub const MAX_DESCRIPTION: usize = 1024;

/// What athq syncs the library into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Named (saved) queries: the console's Saved queries tab.
    NamedQueries,
    /// Prepared statements: `EXECUTE name USING …`, one name per work group.
    PreparedStatements,
}

impl Kind {
    /// A library query's name in the work group: `prefix` + name; prepared statements take no
    /// `-`, so theirs become `_` (`reject-top` → `reject_top`).
    pub fn name(self, prefix: &str, query: &str) -> String {
        match self {
            Kind::NamedQueries => format!("{prefix}{query}"),
            Kind::PreparedStatements => format!("{prefix}{query}").replace('-', "_"),
        }
    }

    /// Why Athena would refuse `name`, if it would: named queries take 1 to 128 characters,
    /// prepared statements match `[a-zA-Z_][a-zA-Z0-9_@:]{1,256}`.
    pub fn check_name(self, name: &str) -> Result<(), String> {
        match self {
            Kind::NamedQueries if name.chars().count() > 128 => {
                Err(format!("the name `{name}` is longer than 128 characters"))
            }
            Kind::NamedQueries => Ok(()),
            Kind::PreparedStatements => {
                let ok = name.len() >= 2
                    && name.len() <= 257
                    && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | ':'));
                if ok {
                    Ok(())
                } else {
                    Err(format!(
                        "`{name}` is not a prepared statement name: a letter or _ first, then 1 to 256 letters, digits, _, @ or :"
                    ))
                }
            }
        }
    }

    /// `named query`, `prepared statement`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::NamedQueries => "named query",
            Kind::PreparedStatements => "prepared statement",
        }
    }

    /// `named queries`, `prepared statements`.
    pub fn nouns(self) -> &'static str {
        match self {
            Kind::NamedQueries => "named queries",
            Kind::PreparedStatements => "prepared statements",
        }
    }
}
/// Time between mutating calls: Athena's named-query APIs allow about 5 a second.
pub const PACE: Duration = Duration::from_millis(200);
const BATCH: usize = 50;

/// What athq writes into a managed query's description: `[athq:reject-top v1 sha256:0123456789ab]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub query: String,
    pub version: u32,
    pub hash: String,
}

impl Marker {
    pub fn text(&self) -> String {
        format!("[athq:{} v{} sha256:{}]", self.query, self.version, self.hash)
    }

    /// The last marker in a description, if any.
    pub fn parse(description: &str) -> Option<Marker> {
        let start = description.rfind("[athq:")?;
        let inner = description[start + 6..].split(']').next()?;
        let mut parts = inner.split(' ');
        let query = parts.next()?.to_string();
        let version = parts.next()?.strip_prefix('v')?.parse().ok()?;
        let hash = parts.next()?.strip_prefix("sha256:")?.to_string();
        (parts.next().is_none() && !query.is_empty() && hash.len() == 12).then_some(Marker {
            query,
            version,
            hash,
        })
    }
}

/// Hash of what a named query runs: its SQL and its database.
pub fn content_hash(sql: &str, database: &str) -> String {
    let d = Sha256::digest(format!("{database}\n{sql}").as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A library query as it should stand in the work group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    /// The named query's name (prefix + query name).
    pub name: String,
    pub marker: Marker,
    pub description: String,
    pub database: String,
    pub sql: String,
}

impl Desired {
    /// `name` as [`Kind::name`] makes it; `database` is empty for prepared statements.
    pub fn new(name: String, query: &str, version: u32, about: &str, database: &str, sql: String) -> Desired {
        let marker = Marker { query: query.to_string(), version, hash: content_hash(&sql, database) };
        let tag = marker.text();
        let room = MAX_DESCRIPTION - tag.len() - 1;
        // Whole characters only, as many as fit in the bytes left beside the marker.
        let cut = about.char_indices().map(|(i, c)| i + c.len_utf8()).take_while(|end| *end <= room).last();
        let text = &about[..cut.unwrap_or(0)];
        Desired {
            name,
            description: format!("{text} {tag}").trim_start().to_string(),
            marker,
            database: database.to_string(),
            sql,
        }
    }
}

/// A named query as it stands in the work group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actual {
    pub id: String,
    pub name: String,
    pub description: String,
    pub database: String,
    pub sql: String,
}

impl Actual {
    pub fn marker(&self) -> Option<Marker> {
        Marker::parse(&self.description)
    }

    /// A managed query whose SQL or database no longer matches the hash athq wrote.
    pub fn drifted(&self) -> bool {
        self.marker().is_some_and(|m| m.hash != content_hash(&self.sql, &self.database))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create(Desired),
    Update {
        id: String,
        desired: Desired,
        changes: Vec<String>,
    },
    /// UpdateNamedQuery cannot change the database: delete and create.
    Replace {
        id: String,
        desired: Desired,
    },
    Unchanged(String),
    Prune {
        id: String,
        name: String,
    },
    /// Managed but no longer in the library; deleted only with --prune.
    Stale {
        name: String,
    },
    Conflict {
        name: String,
        reason: String,
    },
    Skipped {
        name: String,
        reason: String,
    },
}

impl Action {
    pub fn changes_something(&self) -> bool {
        matches!(
            self,
            Action::Create(_) | Action::Update { .. } | Action::Replace { .. } | Action::Prune { .. }
        )
    }

    /// `create     reject-top (v1)`.
    pub fn line(&self) -> String {
        match self {
            Action::Create(d) => format!("create     {} (v{})", d.name, d.marker.version),
            Action::Update { desired, changes, .. } => {
                format!("update     {}: {}", desired.name, changes.join(", "))
            }
            Action::Replace { desired, .. } => {
                format!("replace    {}: database → {} (delete and create)", desired.name, desired.database)
            }
            Action::Unchanged(name) => format!("unchanged  {name}"),
            Action::Prune { name, .. } => format!("prune      {name} (athq's, no longer in the library)"),
            Action::Stale { name } => {
                format!("stale      {name} (athq's, no longer in the library; --prune deletes it)")
            }
            Action::Conflict { name, reason } => format!("conflict   {name}: {reason}"),
            Action::Skipped { name, reason } => format!("skipped    {name}: {reason}"),
        }
    }
}

/// Compares desired and actual state. Never touches what athq does not manage.
pub fn plan(
    kind: Kind,
    prefix: &str,
    desired: &[Desired],
    skipped: &[(String, String)],
    actual: &[Actual],
    prune: bool,
    force: bool,
) -> Vec<Action> {
    let mut by_name: BTreeMap<&str, Vec<&Actual>> = BTreeMap::new();
    for a in actual {
        by_name.entry(a.name.as_str()).or_default().push(a);
    }
    let mut actions = Vec::new();
    for d in desired {
        let same = by_name.get(d.name.as_str()).cloned().unwrap_or_default();
        let action = match same.as_slice() {
            [] => Action::Create(d.clone()),
            [a] => match a.marker() {
                None => Action::Conflict {
                    name: d.name.clone(),
                    reason: format!(
                        "a {} of this name exists that athq does not manage; athq leaves it alone",
                        kind.noun()
                    ),
                },
                Some(_) if a.drifted() && !force => Action::Conflict {
                    name: d.name.clone(),
                    reason: "edited outside athq since it was synced (drift); --force overwrites it".into(),
                },
                Some(m) => {
                    if a.database != d.database {
                        Action::Replace { id: a.id.clone(), desired: d.clone() }
                    } else {
                        let mut changes = Vec::new();
                        if a.sql != d.sql {
                            changes.push(if a.drifted() {
                                "SQL (overwriting a console edit)".to_string()
                            } else {
                                "SQL".to_string()
                            });
                        }
                        if m.version != d.marker.version {
                            changes.push(format!("version {} → {}", m.version, d.marker.version));
                        }
                        if a.description != d.description && m.version == d.marker.version {
                            changes.push("description".into());
                        }
                        if changes.is_empty() {
                            Action::Unchanged(d.name.clone())
                        } else {
                            Action::Update { id: a.id.clone(), desired: d.clone(), changes }
                        }
                    }
                }
            },
            many => Action::Conflict {
                name: d.name.clone(),
                reason: format!(
                    "{} {} have this name; athq does not choose between them",
                    many.len(),
                    kind.nouns()
                ),
            },
        };
        actions.push(action);
    }
    for (name, reason) in skipped {
        actions.push(Action::Skipped { name: name.clone(), reason: reason.clone() });
    }
    let desired_names: Vec<&str> = desired.iter().map(|d| d.name.as_str()).collect();
    for a in actual {
        let Some(m) = a.marker() else { continue };
        // Another prefix's queries belong to another sync.
        if a.name != kind.name(prefix, &m.query) {
            continue;
        }
        // Still in the library: synced above, or only skipped this time (say, a parameter lacks a value).
        if desired_names.contains(&a.name.as_str()) || skipped.iter().any(|(n, _)| *n == m.query) {
            continue;
        }
        actions.push(if prune {
            Action::Prune { id: a.id.clone(), name: a.name.clone() }
        } else {
            Action::Stale { name: a.name.clone() }
        });
    }
    actions
}

/// Every named query, or every prepared statement, in a work group, by name.
pub async fn actual(client: &Client, kind: Kind, workgroup: &str) -> Result<Vec<Actual>, EngineError> {
    let mut out = match kind {
        Kind::NamedQueries => named_queries(client, workgroup).await?,
        Kind::PreparedStatements => prepared_statements(client, workgroup).await?,
    };
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(out)
}

async fn named_queries(client: &Client, workgroup: &str) -> Result<Vec<Actual>, EngineError> {
    let mut ids = Vec::new();
    let mut pages =
        client.list_named_queries().work_group(workgroup).max_results(BATCH as i32).into_paginator().send();
    while let Some(page) = pages.next().await {
        ids.extend(
            page.map_err(aws_error("Athena", "ListNamedQueries", workgroup))?
                .named_query_ids()
                .iter()
                .cloned(),
        );
    }
    batched(ids, "BatchGetNamedQuery", |todo| async move {
        let resp = client
            .batch_get_named_query()
            .set_named_query_ids(Some(todo))
            .send()
            .await
            .map_err(aws_error("Athena", "BatchGetNamedQuery", workgroup))?;
        let found = resp
            .named_queries()
            .iter()
            .map(|q| Actual {
                id: q.named_query_id().unwrap_or_default().to_string(),
                name: q.name().to_string(),
                description: q.description().unwrap_or_default().to_string(),
                database: q.database().to_string(),
                sql: q.query_string().to_string(),
            })
            .collect();
        // Ids deleted meanwhile (INVALID_INPUT) are gone; the rest are retried.
        let again = resp
            .unprocessed_named_query_ids()
            .iter()
            .filter(|u| u.error_code() != Some("INVALID_INPUT"))
            .filter_map(|u| u.named_query_id().map(String::from))
            .collect();
        Ok((found, again))
    })
    .await
}

async fn prepared_statements(client: &Client, workgroup: &str) -> Result<Vec<Actual>, EngineError> {
    let mut names = Vec::new();
    let mut pages = client
        .list_prepared_statements()
        .work_group(workgroup)
        .max_results(BATCH as i32)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("Athena", "ListPreparedStatements", workgroup))?;
        names.extend(page.prepared_statements().iter().filter_map(|p| p.statement_name().map(String::from)));
    }
    batched(names, "BatchGetPreparedStatement", |todo| async move {
        let resp = client
            .batch_get_prepared_statement()
            .work_group(workgroup)
            .set_prepared_statement_names(Some(todo))
            .send()
            .await
            .map_err(aws_error("Athena", "BatchGetPreparedStatement", workgroup))?;
        let found = resp
            .prepared_statements()
            .iter()
            .map(|p| Actual {
                id: p.statement_name().unwrap_or_default().to_string(),
                name: p.statement_name().unwrap_or_default().to_string(),
                description: p.description().unwrap_or_default().to_string(),
                database: String::new(),
                sql: p.query_statement().unwrap_or_default().to_string(),
            })
            .collect();
        // Statements deleted meanwhile are gone; the rest are retried.
        let again = resp
            .unprocessed_prepared_statement_names()
            .iter()
            .filter(|u| !matches!(u.error_code(), Some("STATEMENT_NOT_FOUND" | "INVALID_INPUT")))
            .filter_map(|u| u.statement_name().map(String::from))
            .collect();
        Ok((found, again))
    })
    .await
}

/// Fetches `keys` 50 at a time with `get`, which answers what it found and the keys to ask again
/// (Athena's batch calls leave some unprocessed under load), backing off; gives up after 6 tries.
async fn batched<F, Fut>(keys: Vec<String>, operation: &str, get: F) -> Result<Vec<Actual>, EngineError>
where
    F: Fn(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<Actual>, Vec<String>), EngineError>>,
{
    let mut out = Vec::new();
    for chunk in keys.chunks(BATCH) {
        let mut todo: Vec<String> = chunk.to_vec();
        let mut delay = Duration::from_millis(100);
        for attempt in 0.. {
            let (found, again) = get(todo).await?;
            out.extend(found);
            todo = again;
            if todo.is_empty() {
                break;
            }
            if attempt == 5 {
                return Err(EngineError::Runtime(format!(
                    "{operation} left {} unprocessed after 6 attempts",
                    todo.len()
                )));
            }
            tokio::time::sleep(delay).await;
            delay *= 2;
        }
    }
    Ok(out)
}

/// What an apply did before it stopped (or finished).
#[derive(Debug, Default)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    pub replaced: usize,
    pub pruned: usize,
}

impl Applied {
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} replaced, {} pruned",
            self.created, self.updated, self.replaced, self.pruned
        )
    }
}

async fn create(client: &Client, kind: Kind, workgroup: &str, d: &Desired) -> Result<(), EngineError> {
    if kind == Kind::PreparedStatements {
        client
            .create_prepared_statement()
            .statement_name(&d.name)
            .work_group(workgroup)
            .description(&d.description)
            .query_statement(&d.sql)
            .send()
            .await
            .map_err(aws_error("Athena", "CreatePreparedStatement", &d.name))?;
        return Ok(());
    }
    // The same change always sends the same token, so a retried create does not make a duplicate.
    let token = content_hash(&format!("{workgroup}\n{}\n{}", d.name, d.description), &d.sql)
        + &d.marker.hash
        + "athq-create-token";
    client
        .create_named_query()
        .name(&d.name)
        .description(&d.description)
        .database(&d.database)
        .query_string(&d.sql)
        .work_group(workgroup)
        .client_request_token(token)
        .send()
        .await
        .map_err(aws_error("Athena", "CreateNamedQuery", &d.name))?;
    Ok(())
}

async fn update(
    client: &Client,
    kind: Kind,
    workgroup: &str,
    id: &str,
    d: &Desired,
) -> Result<(), EngineError> {
    match kind {
        Kind::NamedQueries => client
            .update_named_query()
            .named_query_id(id)
            .name(&d.name)
            .description(&d.description)
            .query_string(&d.sql)
            .send()
            .await
            .map(|_| ())
            .map_err(aws_error("Athena", "UpdateNamedQuery", id)),
        Kind::PreparedStatements => client
            .update_prepared_statement()
            .statement_name(id)
            .work_group(workgroup)
            .description(&d.description)
            .query_statement(&d.sql)
            .send()
            .await
            .map(|_| ())
            .map_err(aws_error("Athena", "UpdatePreparedStatement", id)),
    }
}

async fn delete(client: &Client, kind: Kind, workgroup: &str, id: &str) -> Result<(), EngineError> {
    match kind {
        Kind::NamedQueries => {
            client.delete_named_query().named_query_id(id).send().await.map(|_| ()).map_err(aws_error(
                "Athena",
                "DeleteNamedQuery",
                id,
            ))
        }
        Kind::PreparedStatements => client
            .delete_prepared_statement()
            .statement_name(id)
            .work_group(workgroup)
            .send()
            .await
            .map(|_| ())
            .map_err(aws_error("Athena", "DeletePreparedStatement", id)),
    }
}

/// Applies the plan's changes, paced; stops at the first failure and says what was done.
pub async fn apply(
    client: &Client,
    kind: Kind,
    workgroup: &str,
    actions: &[Action],
) -> Result<Applied, (Applied, EngineError)> {
    let mut done = Applied::default();
    for action in actions.iter().filter(|a| a.changes_something()) {
        let step = async {
            match action {
                Action::Create(d) => create(client, kind, workgroup, d).await,
                Action::Update { id, desired, .. } => update(client, kind, workgroup, id, desired).await,
                Action::Replace { id, desired } => {
                    create(client, kind, workgroup, desired).await?;
                    tokio::time::sleep(PACE).await;
                    delete(client, kind, workgroup, id).await
                }
                Action::Prune { id, .. } => delete(client, kind, workgroup, id).await,
                _ => Ok(()),
            }
        };
        if let Err(e) = step.await {
            return Err((done, e));
        }
        match action {
            Action::Create(_) => done.created += 1,
            Action::Update { .. } => done.updated += 1,
            Action::Replace { .. } => done.replaced += 1,
            Action::Prune { .. } => done.pruned += 1,
            _ => {}
        }
        tokio::time::sleep(PACE).await;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desired(name: &str, version: u32, sql: &str) -> Desired {
        Desired::new(name.into(), name, version, "About it.", "flowdb", sql.into())
    }

    fn actual_of(d: &Desired, id: &str) -> Actual {
        Actual {
            id: id.into(),
            name: d.name.clone(),
            description: d.description.clone(),
            database: d.database.clone(),
            sql: d.sql.clone(),
        }
    }

    #[test]
    fn markers_round_trip_and_fit() {
        let d = desired("reject-top", 3, "SELECT 1");
        assert!(d.description.starts_with("About it. [athq:reject-top v3 sha256:"), "{}", d.description);
        assert_eq!(Marker::parse(&d.description), Some(d.marker.clone()));
        assert_eq!(Marker::parse("no marker"), None);
        assert_eq!(Marker::parse("[athq:x v1 sha256:short]"), None);
        let long = Desired::new("q".into(), "q", 1, &"é".repeat(2000), "db", "SELECT 1".into());
        assert!(long.description.len() <= MAX_DESCRIPTION, "{}", long.description.len());
        assert_eq!(Marker::parse(&long.description).unwrap().query, "q");
    }

    #[test]
    fn plans_each_case() {
        let a = desired("a", 1, "SELECT 1");
        let b = desired("b", 2, "SELECT 2");
        let c = desired("c", 1, "SELECT 3");
        let old_b = actual_of(&desired("b", 1, "SELECT 20"), "id-b");
        let mut drifted_c = actual_of(&c, "id-c");
        drifted_c.sql = "SELECT 3 -- edited".into();
        let gone = actual_of(&desired("gone", 1, "SELECT 9"), "id-gone");
        let theirs = Actual {
            id: "x".into(),
            name: "mine".into(),
            description: "hand made".into(),
            database: "db".into(),
            sql: "SELECT 0".into(),
        };
        let mine = desired("mine", 1, "SELECT 0");
        let actual = vec![actual_of(&a, "id-a"), old_b, drifted_c.clone(), gone, theirs];
        let p = plan(
            Kind::NamedQueries,
            "",
            &[a.clone(), b.clone(), c.clone(), mine.clone()],
            &[("find-ip".into(), "needs ip".into())],
            &actual,
            false,
            false,
        );
        let lines: Vec<String> = p.iter().map(Action::line).collect();
        assert_eq!(
            lines,
            [
                "unchanged  a",
                "update     b: SQL, version 1 → 2",
                "conflict   c: edited outside athq since it was synced (drift); --force overwrites it",
                "conflict   mine: a named query of this name exists that athq does not manage; athq leaves it alone",
                "skipped    find-ip: needs ip",
                "stale      gone (athq's, no longer in the library; --prune deletes it)",
            ]
        );
        let p = plan(Kind::NamedQueries, "", std::slice::from_ref(&c), &[], &[drifted_c], true, true);
        assert_eq!(p[0].line(), "update     c: SQL (overwriting a console edit)");
        let p = plan(
            Kind::NamedQueries,
            "",
            std::slice::from_ref(&a),
            &[],
            &[actual_of(&a, "1"), actual_of(&a, "2")],
            true,
            false,
        );
        assert!(p[0].line().starts_with("conflict   a: 2 named queries have this name"));
        let mut elsewhere = actual_of(&a, "1");
        elsewhere.database = "otherdb".into();
        elsewhere.description =
            Desired::new("a".into(), "a", 1, "About it.", "otherdb", "SELECT 1".into()).description;
        assert!(matches!(
            plan(Kind::NamedQueries, "", &[a], &[], &[elsewhere], true, false)[0],
            Action::Replace { .. }
        ));
    }

    #[test]
    fn prepared_statement_names_follow_athena_pattern() {
        let k = Kind::PreparedStatements;
        assert_eq!(k.name("athq_", "reject-top"), "athq_reject_top");
        assert!(k.check_name("athq_reject_top").is_ok());
        assert!(k.check_name("reject_top@v2:x").is_ok());
        assert!(k.check_name("athq/reject_top").is_err());
        assert!(k.check_name("1st").is_err());
        assert!(k.check_name("x").is_err());
        assert!(k.check_name(&"a".repeat(258)).is_err());
        assert!(Kind::NamedQueries.check_name("athq/reject-top").is_ok());
        assert!(Kind::NamedQueries.check_name(&"é".repeat(129)).is_err());
        // Another prefix's statements are left alone; this prefix's stale ones are found.
        let mine = Desired::new(k.name("p_", "gone"), "gone", 1, "x", "", "SELECT 1".into());
        let theirs = Desired::new(k.name("q_", "gone"), "gone", 1, "x", "", "SELECT 1".into());
        let actual = [actual_of(&mine, "p_gone"), actual_of(&theirs, "q_gone")];
        let lines: Vec<String> =
            plan(k, "p_", &[], &[], &actual, false, false).iter().map(Action::line).collect();
        assert_eq!(lines, ["stale      p_gone (athq's, no longer in the library; --prune deletes it)"]);
    }
}
