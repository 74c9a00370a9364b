//! The command line as the shell and `man` see it: completion scripts (the bash one loaded into a
//! real bash and asked to complete), manual pages (rendered by man), `--version` with the
//! library's version, and colour that follows `--color` and NO_COLOR.

use std::process::Command;

use rexpect::session::spawn_command;

use crate::support::{athq, athq_std, run};

/// What bash's completion offers for `line` (the word being completed is the last one).
fn bash_complete(script: &std::path::Path, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let program = format!(
        "source {script}\nCOMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _athq athq '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = script.display(),
        words = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
        cword = words.len() - 1,
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let o = Command::new("bash").arg("-c").arg(program).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).lines().map(String::from).filter(|l| !l.is_empty()).collect()
}

#[test]
fn bash_completes_query_names_commands_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(athq(dir.path()).args(["completions", "bash"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let script = dir.path().join("athq.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    assert_eq!(bash_complete(&script, "athq run rej"), ["reject-top", "rejected", "rejected-tcp"]);
    assert_eq!(bash_complete(&script, "athq run reject-"), ["reject-top"]);
    let shows = bash_complete(&script, "athq show b");
    assert!(
        shows.contains(&"beaconing".to_string()) && shows.contains(&"bytes-over-time".to_string()),
        "{shows:?}"
    );
    assert_eq!(bash_complete(&script, "athq rep"), ["report"]);
    assert!(bash_complete(&script, "athq run reject-top --da").contains(&"--days".to_string()));
    // A query of the user's own library is offered too.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    let q = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/queries/rejected.sql")).unwrap();
    std::fs::write(mine.join("rejections-mine.sql"), q.replace("name: rejected", "name: rejections-mine"))
        .unwrap();
    let o = run(athq(dir.path()).args(["--library", "mine", "completions", "bash"]));
    std::fs::write(&script, &o.stdout).unwrap();
    assert_eq!(bash_complete(&script, "athq render rejections-m"), ["rejections-mine"]);
}

#[test]
fn zsh_fish_and_powershell_scripts_name_the_queries() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let o = run(athq(dir.path()).args(["completions", shell]));
        assert_eq!(o.code, 0, "{shell}: {}", o.stderr);
        let days = if shell == "fish" { "-l days" } else { "--days" };
        assert!(o.stdout.contains("reject-top") && o.stdout.contains(days), "{shell}");
    }
    let o = run(athq(dir.path()).args(["completions", "tcsh"]));
    assert_eq!(o.code, 2);
}

#[test]
fn man_pages_render_with_man() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(athq(dir.path()).arg("man"));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(".TH athq 1"), "{}", o.stdout);
    let o = run(athq(dir.path()).args(["man", "--dir", "pages"]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for page in ["athq.1", "athq-run.1", "athq-report.1", "athq-saved-sync.1"] {
        assert!(dir.path().join("pages").join(page).exists(), "{page}");
    }
    // As a reader gets it: man formats the page (when man is here to do it).
    let page = dir.path().join("pages/athq-run.1");
    if let Ok(o) = Command::new("man").args(["-l", "-P", "cat"]).arg(&page).env("MANWIDTH", "100").output() {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("--days") && text.contains("Query name"), "{text}");
    }
}

#[test]
fn version_names_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(athq(dir.path()).arg("--version"));
    assert_eq!(o.code, 0);
    let n = athq::library::Library::builtin().unwrap().len();
    assert!(
        o.stdout.starts_with(&format!("athq {} (library: {n} queries, ", env!("CARGO_PKG_VERSION"))),
        "{}",
        o.stdout
    );
}

/// stderr of `athq run nope` in a terminal, with `extra` arguments and environment.
fn error_in_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = athq_std(dir.path());
    cmd.args(args).args(["run", "nope"]).env("TERM", "xterm").envs(env.iter().copied());
    let mut p = spawn_command(cmd, Some(30_000)).unwrap();
    p.exp_eof().unwrap()
}

#[test]
fn colour_follows_the_terminal_no_color_and_the_flag() {
    let red = "\u{1b}[1;31merror:\u{1b}[0m";
    assert!(error_in_a_terminal(&[], &[]).contains(red));
    let plain = error_in_a_terminal(&[], &[("NO_COLOR", "1")]);
    assert!(plain.contains("error: no query named `nope`") && !plain.contains('\u{1b}'), "{plain:?}");
    assert!(!error_in_a_terminal(&["--color", "never"], &[]).contains('\u{1b}'));
    // Not a terminal: no colour unless asked for.
    let dir = tempfile::tempdir().unwrap();
    assert!(!run(athq(dir.path()).args(["run", "nope"])).stderr.contains('\u{1b}'));
    let o = run(athq(dir.path()).args(["--color=always", "run", "nope"]));
    assert!(o.stderr.contains(red), "{:?}", o.stderr);
}
