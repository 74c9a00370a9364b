//! Saved-query sync against the stand-in: what athq writes, checked with the AWS CLI.

use serde_json::{Value, json};

use crate::run;
use crate::standin::Account;

const CONFIG: &str = "database: flowdb\nvpc_cidrs: [10.20.0.0/16]\ntable:\n  fields: v5\n";
/// Library queries: all of them (the six that need an address with a `?` for it).
const SYNCED: usize = 36;

fn setup() -> (Account, tempfile::TempDir) {
    let acct = Account::new();
    for wg in ["analysts", "secops"] {
        acct.aws(&["athena", "create-work-group", "--name", wg]);
    }
    let dir = acct.project(CONFIG);
    (acct, dir)
}

/// Every key a paged AWS CLI listing returns (`args`, then `--next-token` while there is one):
/// `pick` takes a page's keys.
fn listed(acct: &Account, args: &[&str], pick: impl Fn(&Value) -> Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut all: Vec<&str> = args.to_vec();
        if let Some(t) = &token {
            all.extend(["--next-token", t.as_str()]);
        }
        let page = acct.aws(&all);
        out.extend(pick(&page));
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    out
}

/// Every named query in a work group, by the AWS CLI (list, then batch-get).
fn named(acct: &Account, wg: &str) -> Vec<Value> {
    let ids =
        listed(acct, &["athena", "list-named-queries", "--work-group", wg, "--max-results", "50"], |p| {
            p["NamedQueryIds"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        });
    let mut out = Vec::new();
    for chunk in ids.chunks(50) {
        let mut args = vec!["athena", "batch-get-named-query", "--named-query-ids"];
        args.extend(chunk.iter().map(String::as_str));
        out.extend(acct.aws(&args)["NamedQueries"].as_array().unwrap().iter().cloned());
    }
    out.sort_by_key(|q| q["Name"].as_str().unwrap().to_string());
    out
}

fn lines_with<'a>(out: &'a str, word: &str) -> Vec<&'a str> {
    out.lines().filter(|l| l.split_whitespace().nth(1) == Some(word)).collect()
}

#[test]
fn sync_creates_the_library_then_does_nothing() {
    let (acct, dir) = setup();
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--workgroup", "analysts", "--check"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(lines_with(&o.stdout, "create").len(), SYNCED);
    assert!(o.stdout.contains("analysts  create     find-ip (v2)"), "{}", o.stdout);
    assert!(named(&acct, "analysts").is_empty(), "plan changed something");

    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("analysts: applied: {SYNCED} created, 0 updated, 0 replaced, 0 pruned")),
        "{}",
        o.stderr
    );
    let queries = named(&acct, "analysts");
    assert_eq!(queries.len(), SYNCED);
    let q = queries.iter().find(|q| q["Name"] == "reject-top").unwrap();
    assert_eq!(q["Database"], "flowdb");
    let sql = q["QueryString"].as_str().unwrap();
    assert!(
        sql.starts_with("WITH rejected AS (\n")
            && sql
                .contains("\"day\" >= date_format(current_timestamp - INTERVAL '87000' SECOND, '%Y/%m/%d')"),
        "{sql}"
    );
    let desc = q["Description"].as_str().unwrap();
    assert!(
        desc.starts_with("Top rejected sources, with the ports they tried. ")
            && desc.contains("[athq:reject-top v2 sha256:"),
        "{desc}"
    );

    // Again, and again with the clock an hour later: nothing to do.
    for now in [crate::NOW, "2026-11-22T11:30:00Z"] {
        let o = run(acct.athq(dir.path()).env("ATHQ_NOW", now).args([
            "saved",
            "sync",
            "--workgroup",
            "analysts",
        ]));
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(lines_with(&o.stdout, "unchanged").len(), SYNCED, "{}", o.stdout);
        assert!(o.stderr.contains("applied: 0 created, 0 updated, 0 replaced, 0 pruned"), "{}", o.stderr);
    }
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--workgroup", "analysts", "--check"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
}

fn overlay(dir: &std::path::Path, name: &str, version: u32, body: &str) -> std::path::PathBuf {
    let lib = dir.join("mine");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join(format!("{name}.sql")),
        format!("/*\nname: {name}\nversion: {version}\ntitle: Mine\nfields: [srcaddr, action, start, end]\n*/\n{body}\n"),
    )
    .unwrap();
    lib
}

#[test]
fn template_changes_update_and_console_edits_are_drift() {
    let (acct, dir) = setup();
    run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts"]));
    let lib = overlay(
        dir.path(),
        "reject-top",
        3,
        "SELECT srcaddr, COUNT(*) AS n FROM {{ table }} WHERE {{ time_filter() }} AND action = 'REJECT' GROUP BY srcaddr",
    );
    let lib = lib.to_str().unwrap();
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts", "--library", lib]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("analysts  update     reject-top: SQL, version 2 → 3"), "{}", o.stdout);
    let q = named(&acct, "analysts").into_iter().find(|q| q["Name"] == "reject-top").unwrap();
    assert!(q["Description"].as_str().unwrap().contains("[athq:reject-top v3 sha256:"));
    assert!(
        q["QueryString"]
            .as_str()
            .unwrap()
            .starts_with("SELECT srcaddr, COUNT(*) AS n FROM \"flowdb\".\"vpc_flow_logs\"")
    );

    // Someone edits it in the console.
    let id = q["NamedQueryId"].as_str().unwrap();
    acct.aws(&[
        "athena",
        "update-named-query",
        "--named-query-id",
        id,
        "--name",
        "reject-top",
        "--description",
        q["Description"].as_str().unwrap(),
        "--query-string",
        "SELECT 42",
    ]);
    // A CI check sees the drift; sync leaves the edit alone and says so with exit 1.
    let o = run(acct.athq(dir.path()).args([
        "saved",
        "plan",
        "--check",
        "--workgroup",
        "analysts",
        "--library",
        lib,
    ]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("1 conflict(s)"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts", "--library", lib]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("error: 1 conflict(s) left as they are"), "{}", o.stderr);
    assert!(o.stdout.contains("analysts  conflict   reject-top: edited outside athq since it was synced (drift); --force overwrites it"), "{}", o.stdout);
    // --check belongs to plan only.
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--check", "--workgroup", "analysts"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    let list = run(acct.athq(dir.path()).args(["saved", "list", "--workgroup", "analysts"]));
    assert!(
        list.stdout.lines().any(|l| l.contains("reject-top") && l.contains("athq's, edited since sync")),
        "{}",
        list.stdout
    );
    let edited = named(&acct, "analysts").into_iter().find(|q| q["Name"] == "reject-top").unwrap();
    assert_eq!(edited["QueryString"], "SELECT 42");
    let o = run(acct.athq(dir.path()).args([
        "saved",
        "sync",
        "--workgroup",
        "analysts",
        "--library",
        lib,
        "--force",
    ]));
    assert!(o.stdout.contains("update     reject-top: SQL (overwriting a console edit)"), "{}", o.stdout);
    let fixed = named(&acct, "analysts").into_iter().find(|q| q["Name"] == "reject-top").unwrap();
    assert_ne!(fixed["QueryString"], "SELECT 42");
}

#[test]
fn prune_touches_only_athqs_queries_and_duplicates_are_reported() {
    let (acct, dir) = setup();
    let lib = overlay(dir.path(), "extra-q", 1, "SELECT srcaddr FROM {{ table }} WHERE {{ time_filter() }}");
    run(acct.athq(dir.path()).args([
        "saved",
        "sync",
        "--workgroup",
        "analysts",
        "--library",
        lib.to_str().unwrap(),
    ]));
    acct.aws(&[
        "athena",
        "create-named-query",
        "--name",
        "my-own",
        "--database",
        "flowdb",
        "--query-string",
        "SELECT 1",
        "--work-group",
        "analysts",
    ]);
    acct.aws(&[
        "athena",
        "create-named-query",
        "--name",
        "port-scan",
        "--database",
        "flowdb",
        "--query-string",
        "SELECT 2",
        "--work-group",
        "analysts",
    ]);
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--workgroup", "analysts"]));
    assert!(
        o.stdout
            .contains("analysts  stale      extra-q (athq's, no longer in the library; --prune deletes it)"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("analysts  conflict   port-scan: 2 named queries have this name"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("my-own"), "{}", o.stdout);
    // The duplicate is a conflict sync leaves alone: exit 1, the rest applied.
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts", "--prune"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("analysts  prune      extra-q"), "{}", o.stdout);
    let names: Vec<String> =
        named(&acct, "analysts").iter().map(|q| q["Name"].as_str().unwrap().to_string()).collect();
    assert!(!names.contains(&"extra-q".to_string()));
    assert!(names.contains(&"my-own".to_string()));
    assert_eq!(names.iter().filter(|n| *n == "port-scan").count(), 2);
}

#[test]
fn more_than_a_page_of_queries_and_unprocessed_ids() {
    let (acct, dir) = setup();
    for prefix in ["a/", "b/", "c/"] {
        let o =
            run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts", "--prefix", prefix]));
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    assert_eq!(named(&acct, "analysts").len(), 3 * SYNCED);
    acct.queue_named_query_faults(json!({"unprocessed": 7}));
    let o = run(acct.athq(dir.path()).args([
        "saved",
        "plan",
        "--workgroup",
        "analysts",
        "--prefix",
        "b/",
        "--check",
    ]));
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert_eq!(lines_with(&o.stdout, "unchanged").len(), SYNCED);
    let o = run(acct.athq(dir.path()).args(["saved", "list", "--workgroup", "analysts"]));
    assert_eq!(o.stdout.lines().count(), 1 + 3 * SYNCED);
}

#[test]
fn an_interrupted_sync_converges_on_the_next_run() {
    let (acct, dir) = setup();
    acct.queue_named_query_faults(json!({"fail": {"CreateNamedQuery": 5}}));
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("sync of work group analysts stopped: applied 5 created, 0 updated, 0 replaced, 0 pruned; {} change(s) not applied", SYNCED - 5)),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("Athena CreateNamedQuery (reject-top): InvalidRequestException: injected failure")
            || o.stderr.contains("Athena CreateNamedQuery ("),
        "{}",
        o.stderr
    );
    assert_eq!(named(&acct, "analysts").len(), 5);
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "analysts"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("applied: {} created", SYNCED - 5)), "{}", o.stderr);
    assert_eq!(named(&acct, "analysts").len(), SYNCED);
}

#[test]
fn several_work_groups_and_a_database_change() {
    let (acct, dir) = setup();
    let o = run(acct.athq(dir.path()).args([
        "saved",
        "sync",
        "--workgroup",
        "analysts",
        "--workgroup",
        "secops",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(named(&acct, "analysts").len(), SYNCED);
    assert_eq!(named(&acct, "secops").len(), SYNCED);
    let o =
        run(acct.athq(dir.path()).args(["saved", "sync", "--workgroup", "secops", "--database", "otherdb"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(lines_with(&o.stdout, "replace").len(), SYNCED, "{}", o.stdout);
    let secops = named(&acct, "secops");
    assert_eq!(secops.len(), SYNCED);
    assert!(secops.iter().all(|q| q["Database"] == "otherdb"));
    assert!(named(&acct, "analysts").iter().all(|q| q["Database"] == "flowdb"));
}

#[test]
fn the_named_query_extension_follows_the_api_reference() {
    // Checked with the AWS CLI, independently of athq's client.
    let acct = Account::new();
    let id = acct.aws(&[
        "athena",
        "create-named-query",
        "--name",
        "q",
        "--database",
        "db",
        "--query-string",
        "SELECT 1",
    ])["NamedQueryId"]
        .as_str()
        .unwrap()
        .to_string();
    acct.aws(&[
        "athena",
        "update-named-query",
        "--named-query-id",
        &id,
        "--name",
        "q2",
        "--query-string",
        "SELECT 2",
    ]);
    let got = acct.aws(&["athena", "batch-get-named-query", "--named-query-ids", &id, "missing-id"]);
    assert_eq!(got["NamedQueries"][0]["Name"], "q2");
    assert_eq!(got["NamedQueries"][0]["QueryString"], "SELECT 2");
    assert_eq!(got["UnprocessedNamedQueryIds"][0]["NamedQueryId"], "missing-id");
    assert_eq!(got["UnprocessedNamedQueryIds"][0]["ErrorCode"], "INVALID_INPUT");
    let too_many: Vec<String> = (0..51).map(|i| format!("id-{i}")).collect();
    let mut args = vec!["athena", "batch-get-named-query", "--named-query-ids"];
    args.extend(too_many.iter().map(String::as_str));
    assert!(!acct.aws_raw(&args).status.success());
    let long = "x".repeat(129);
    assert!(
        !acct
            .aws_raw(&[
                "athena",
                "update-named-query",
                "--named-query-id",
                &id,
                "--name",
                &long,
                "--query-string",
                "S"
            ])
            .status
            .success()
    );
    acct.aws(&["athena", "delete-named-query", "--named-query-id", &id]);
    let again = acct.aws_raw(&["athena", "delete-named-query", "--named-query-id", &id]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("InvalidRequestException"));
    assert_eq!(acct.aws(&["athena", "list-named-queries"])["NamedQueryIds"], json!([]));
}

/// Every prepared statement in a work group, by the AWS CLI (list, then batch-get).
fn prepared(acct: &Account, wg: &str) -> Vec<Value> {
    let args = ["athena", "list-prepared-statements", "--work-group", wg, "--max-results", "10"];
    let names = listed(acct, &args, |p| {
        p["PreparedStatements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["StatementName"].as_str().unwrap().to_string())
            .collect()
    });
    if names.is_empty() {
        return Vec::new();
    }
    let mut args =
        vec!["athena", "batch-get-prepared-statement", "--work-group", wg, "--prepared-statement-names"];
    args.extend(names.iter().map(String::as_str));
    let mut out = acct.aws(&args)["PreparedStatements"].as_array().unwrap().clone();
    out.sort_by_key(|q| q["StatementName"].as_str().unwrap().to_string());
    out
}

fn with_results(acct: &Account) -> tempfile::TempDir {
    acct.aws(&["s3api", "create-bucket", "--bucket", &format!("athq-results-{}", acct.id)]);
    acct.project(&format!(
        "{CONFIG}workgroup: analysts\noutput_location: s3://athq-results-{}/athena/\n",
        acct.id
    ))
}

#[test]
fn queries_that_need_an_address_are_published_with_execution_parameters() {
    let (acct, _) = setup();
    let dir = with_results(&acct);
    let o = run(acct.athq(dir.path()).args(["saved", "sync"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let queries = named(&acct, "analysts");
    let find = queries.iter().find(|q| q["Name"] == "find-ip").unwrap();
    let sql = find["QueryString"].as_str().unwrap();
    assert_eq!(sql.matches("CAST(? AS IPADDRESS)").count(), 3, "{sql}");
    assert!(sql.contains("TRY_CAST(srcaddr AS IPADDRESS) = CAST(? AS IPADDRESS)"), "{sql}");
    let desc = find["Description"].as_str().unwrap();
    assert!(
        desc.starts_with("Every flow touching an address. Execution parameters: ?1, ?2, ?3 = ip (The address to look for; a literal such as '10.0.0.5'). Every flow where"),
        "{desc}"
    );
    for name in ["traffic-from", "traffic-to", "tcp-from-source"] {
        let q = queries.iter().find(|q| q["Name"] == name).unwrap();
        assert_eq!(q["QueryString"].as_str().unwrap().matches('?').count(), 1, "{name}");
        assert!(q["Description"].as_str().unwrap().contains("Execution parameters: ?1 = ip ("), "{name}");
    }
    // What the console's "Run" does with it: the SQL as saved, one value per `?`.
    let o = run(acct
        .athq(dir.path())
        .args(["exec", "--sql", sql, "-P", "10.0.0.5", "-P", "10.0.0.5", "-P", "10.0.0.5"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let q = acct.history().pop().unwrap();
    assert_eq!(q["Query"], sql);
    assert_eq!(q["ExecutionParameters"], json!(["'10.0.0.5'", "'10.0.0.5'", "'10.0.0.5'"]));
}

#[test]
fn prepared_statements_plan_sync_drift_and_prune() {
    let (acct, _) = setup();
    let dir = with_results(&acct);
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--prepared", "--check"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(lines_with(&o.stdout, "create").len(), SYNCED, "{}", o.stdout);
    assert!(o.stdout.contains("analysts  create     find_ip (v2)"), "{}", o.stdout);
    assert!(prepared(&acct, "analysts").is_empty(), "plan changed something");

    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--prepared"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let statements = prepared(&acct, "analysts");
    assert_eq!(statements.len(), SYNCED);
    // The same SQL as the named query, under a name Athena accepts, marked as athq's.
    let find = statements.iter().find(|p| p["StatementName"] == "find_ip").unwrap();
    assert_eq!(find["QueryStatement"].as_str().unwrap().matches("CAST(? AS IPADDRESS)").count(), 3);
    assert!(find["QueryStatement"].as_str().unwrap().contains("FROM \"flowdb\".\"vpc_flow_logs\""));
    let desc = find["Description"].as_str().unwrap();
    assert!(desc.contains("?1, ?2, ?3 = ip") && desc.contains("[athq:find-ip v2 sha256:"), "{desc}");
    assert!(named(&acct, "analysts").is_empty(), "named queries are another sync");

    // Nothing to do the second time.
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--prepared", "--check"]));
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert_eq!(lines_with(&o.stdout, "unchanged").len(), SYNCED);

    // EXECUTE takes its values as execution parameters; athq cannot count the statement's `?`s.
    let o = run(acct.athq(dir.path()).args([
        "exec",
        "--sql",
        "EXECUTE find_ip",
        "-P",
        "10.0.0.5",
        "-P",
        "10.0.0.5",
        "-P",
        "10.0.0.5",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let q = acct.history().pop().unwrap();
    assert_eq!(q["Query"], "EXECUTE find_ip");
    assert_eq!(q["ExecutionParameters"], json!(["'10.0.0.5'", "'10.0.0.5'", "'10.0.0.5'"]));

    // A console edit is drift; a statement athq did not write is left alone; stale ones go with --prune.
    let reject = statements.iter().find(|p| p["StatementName"] == "reject_top").unwrap();
    acct.aws(&[
        "athena",
        "update-prepared-statement",
        "--statement-name",
        "reject_top",
        "--work-group",
        "analysts",
        "--query-statement",
        "SELECT 42",
        "--description",
        reject["Description"].as_str().unwrap(),
    ]);
    acct.aws(&[
        "athena",
        "create-prepared-statement",
        "--statement-name",
        "mine",
        "--work-group",
        "analysts",
        "--query-statement",
        "SELECT 1",
    ]);
    acct.aws(&[
        "athena",
        "create-prepared-statement",
        "--statement-name",
        "old_query",
        "--work-group",
        "analysts",
        "--query-statement",
        "SELECT 2",
        "--description",
        "Old. [athq:old-query v1 sha256:000000000000]",
    ]);
    let o = run(acct.athq(dir.path()).args(["saved", "plan", "--prepared", "--check"]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains("analysts  conflict   reject_top: edited outside athq since it was synced (drift)"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("analysts  stale      old_query"), "{}", o.stdout);
    assert!(!o.stdout.contains("mine"), "{}", o.stdout);
    let list = run(acct.athq(dir.path()).args(["saved", "list", "--prepared"]));
    assert!(list.stdout.starts_with("WORKGROUP"), "{}", list.stdout);
    assert!(
        list.stdout.lines().any(|l| l.contains("reject_top") && l.contains("edited since sync")),
        "{}",
        list.stdout
    );
    assert!(list.stdout.lines().any(|l| l.contains("mine") && l.contains("not athq's")), "{}", list.stdout);

    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--prepared", "--prune", "--force"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("applied: 0 created, 1 updated, 0 replaced, 1 pruned"), "{}", o.stderr);
    let after = prepared(&acct, "analysts");
    let names: Vec<&str> = after.iter().map(|p| p["StatementName"].as_str().unwrap()).collect();
    assert!(names.contains(&"mine") && !names.contains(&"old_query"), "{names:?}");
    let fixed = after.iter().find(|p| p["StatementName"] == "reject_top").unwrap();
    assert_eq!(fixed["QueryStatement"], reject["QueryStatement"]);

    // Prepared statement names take no `/`: refused before anything is asked of Athena.
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--prepared", "--prefix", "athq/"]));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--prefix: `athq/` cannot begin a prepared statement's name"), "{}", o.stderr);
    let o = run(acct.athq(dir.path()).args(["saved", "sync", "--prepared", "--prefix", "athq_"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(prepared(&acct, "analysts").iter().any(|p| p["StatementName"] == "athq_reject_top"));
}

#[test]
fn the_prepared_statement_extension_follows_the_api_reference() {
    // Checked with the AWS CLI, independently of athq's client.
    let acct = Account::new();
    for wg in ["a", "b"] {
        acct.aws(&["athena", "create-work-group", "--name", wg]);
    }
    let create = |wg: &str, name: &str, sql: &str| {
        acct.aws_raw(&[
            "athena",
            "create-prepared-statement",
            "--work-group",
            wg,
            "--statement-name",
            name,
            "--query-statement",
            sql,
        ])
    };
    assert!(create("a", "s1", "SELECT ?").status.success());
    // Names are per work group: the same name in another is another statement.
    assert!(create("b", "s1", "SELECT 2").status.success());
    let dup = create("a", "s1", "SELECT 3");
    assert!(String::from_utf8_lossy(&dup.stderr).contains("InvalidRequestException"));
    assert!(!create("a", "bad-name", "SELECT 1").status.success());
    assert!(!create("missing", "s2", "SELECT 1").status.success());
    let got = acct.aws(&["athena", "get-prepared-statement", "--work-group", "b", "--statement-name", "s1"]);
    assert_eq!(got["PreparedStatement"]["QueryStatement"], "SELECT 2");
    assert_eq!(got["PreparedStatement"]["WorkGroupName"], "b");
    acct.aws(&[
        "athena",
        "update-prepared-statement",
        "--work-group",
        "a",
        "--statement-name",
        "s1",
        "--query-statement",
        "SELECT ? + 1",
        "--description",
        "d",
    ]);
    let missing = acct.aws_raw(&[
        "athena",
        "update-prepared-statement",
        "--work-group",
        "a",
        "--statement-name",
        "nope",
        "--query-statement",
        "S",
    ]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ResourceNotFoundException"));
    for i in 0..3 {
        assert!(create("a", &format!("p{i}"), "SELECT 1").status.success());
    }
    let page = acct.aws(&["athena", "list-prepared-statements", "--work-group", "a", "--max-results", "2"]);
    assert_eq!(page["PreparedStatements"].as_array().unwrap().len(), 2);
    assert!(page["NextToken"].is_string());
    assert!(
        !acct
            .aws_raw(&["athena", "list-prepared-statements", "--work-group", "a", "--max-results", "51"])
            .status
            .success()
    );
    let got = acct.aws(&[
        "athena",
        "batch-get-prepared-statement",
        "--work-group",
        "a",
        "--prepared-statement-names",
        "s1",
        "nope",
    ]);
    assert_eq!(got["PreparedStatements"][0]["QueryStatement"], "SELECT ? + 1");
    assert_eq!(got["PreparedStatements"][0]["Description"], "d");
    assert_eq!(got["UnprocessedPreparedStatementNames"][0]["StatementName"], "nope");
    assert_eq!(got["UnprocessedPreparedStatementNames"][0]["ErrorCode"], "STATEMENT_NOT_FOUND");
    acct.aws(&["athena", "delete-prepared-statement", "--work-group", "a", "--statement-name", "s1"]);
    let again =
        acct.aws_raw(&["athena", "delete-prepared-statement", "--work-group", "a", "--statement-name", "s1"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("ResourceNotFoundException"));
    let b = acct.aws(&["athena", "get-prepared-statement", "--work-group", "b", "--statement-name", "s1"]);
    assert_eq!(b["PreparedStatement"]["QueryStatement"], "SELECT 2");
}
