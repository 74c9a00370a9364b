//! What the shell makes of the lines typed at it: SQL statements that end at a `;` outside
//! strings, quoted identifiers and comments (and may span lines, or share one), and backslash
//! commands, which stand on a line of their own. Pure text handling, no terminal.

use crate::sql::{code_positions, only_comments, unterminated};

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A statement without its `;`, as typed (lines joined with `\n`).
    Statement(String),
    /// `\name args…`: the name without the backslash, and the rest of the line.
    Command { name: String, args: String },
    /// `\q`, `quit`, `exit`.
    Quit,
}

/// SQL typed so far that has not reached its `;`.
#[derive(Debug, Default)]
pub struct Buffer {
    text: String,
}

impl Buffer {
    /// True when no statement is under way (the prompt is the first-line one).
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    pub fn clear(&mut self) {
        self.text.clear();
    }

    /// Takes one line; returns what it completed, in order, and keeps the rest.
    pub fn push_line(&mut self, line: &str) -> Vec<Input> {
        if self.is_empty() {
            let t = line.trim();
            if let Some(cmd) = t.strip_prefix('\\') {
                self.clear();
                let (name, args) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
                return vec![match name {
                    "q" | "quit" => Input::Quit,
                    _ => Input::Command { name: name.to_string(), args: args.trim().to_string() },
                }];
            }
            let bare = t.trim_end_matches(';').trim();
            if bare.eq_ignore_ascii_case("quit") || bare.eq_ignore_ascii_case("exit") {
                self.clear();
                return vec![Input::Quit];
            }
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        let ends = code_positions(&self.text, b';');
        if ends.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut start = 0;
        for end in &ends {
            let stmt = self.text[start..*end].trim();
            // Comments alone are no statement: nothing runs for them.
            if !only_comments(stmt) {
                out.push(Input::Statement(stmt.to_string()));
            }
            start = end + 1;
        }
        self.text = self.text[start..].trim_start().to_string();
        out
    }

    /// At the end of the input: the statement still under way (a script's last may leave out its
    /// `;`), none when only comments are left, or an error when a string, quoted identifier or
    /// comment was never closed, naming the line where it opens.
    pub fn finish(&mut self) -> Result<Option<Input>, String> {
        let text = std::mem::take(&mut self.text);
        if let Some((what, at)) = unterminated(&text) {
            let line = text[..at].matches('\n').count() + 1;
            let first = text.lines().next().unwrap_or_default();
            return Err(format!(
                "the statement starting `{}` never ends: a {what} opened on its line {line} is not closed",
                first.chars().take(40).collect::<String>()
            ));
        }
        let stmt = text.trim();
        Ok((!only_comments(stmt)).then(|| Input::Statement(stmt.to_string())))
    }

    /// The statement under way, if any (for saying what Ctrl-D discards).
    pub fn pending(&self) -> &str {
        self.text.trim()
    }
}

/// Splits a command's arguments as a shell would: whitespace between words, `'…'` and `"…"`
/// quote, `\` escapes the next character outside single quotes.
pub fn words(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => out.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("a ' is not closed".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => w.extend(chars.next()),
                        Some(c) => w.push(c),
                        None => return Err("a \" is not closed".into()),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(s: &str) -> Input {
        Input::Statement(s.into())
    }

    #[test]
    fn statements_end_at_semicolons_outside_strings_and_comments() {
        let mut b = Buffer::default();
        assert_eq!(b.push_line("SELECT 'a;b', \"c;\" -- d;"), vec![]);
        assert!(!b.is_empty());
        assert_eq!(b.push_line("FROM t /* ; */"), vec![]);
        assert_eq!(
            b.push_line("WHERE x = 1; SELECT 2;SELECT"),
            vec![stmt("SELECT 'a;b', \"c;\" -- d;\nFROM t /* ; */\nWHERE x = 1"), stmt("SELECT 2")]
        );
        assert_eq!(b.push_line("3;"), vec![stmt("SELECT\n3")]);
        assert!(b.is_empty());
        // A string left open keeps the statement open, over lines.
        assert_eq!(b.push_line("SELECT 'it''s;"), vec![]);
        assert_eq!(b.push_line("still';"), vec![stmt("SELECT 'it''s;\nstill'")]);
        assert_eq!(b.push_line(";;"), vec![]);
        assert_eq!(b.push_line("-- only a comment\n;/* and another */;"), vec![]);
    }

    #[test]
    fn the_end_of_input_runs_an_open_statement_or_says_what_is_unclosed() {
        let mut b = Buffer::default();
        b.push_line("SELECT 1");
        assert_eq!(b.finish(), Ok(Some(stmt("SELECT 1"))));
        b.push_line("SELECT 1; -- trailing");
        assert_eq!(b.finish(), Ok(None));
        for (open, what) in
            [("SELECT 'abc", "string"), ("SELECT \"x", "quoted identifier"), ("SELECT 1 /*", "comment")]
        {
            b.push_line("SELECT 0;");
            b.push_line("-- first line");
            b.push_line(open);
            let e = b.finish().unwrap_err();
            assert!(e.contains(&format!("a {what} opened on its line 2 is not closed")), "{e}");
        }
    }

    #[test]
    fn commands_and_quit_only_start_a_statement() {
        let mut b = Buffer::default();
        assert_eq!(
            b.push_line("  \\format csv "),
            vec![Input::Command { name: "format".into(), args: "csv".into() }]
        );
        assert_eq!(b.push_line("\\q"), vec![Input::Quit]);
        assert_eq!(b.push_line("exit;"), vec![Input::Quit]);
        assert_eq!(b.push_line("QUIT"), vec![Input::Quit]);
        // Inside a statement they are SQL text.
        assert_eq!(b.push_line("SELECT"), vec![]);
        assert_eq!(b.push_line("quit"), vec![]);
        assert_eq!(b.push_line(";"), vec![stmt("SELECT\nquit")]);
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(words("reject-top --days 3").unwrap(), ["reject-top", "--days", "3"]);
        assert_eq!(
            words("find-ip -p 'ip=10.0.0.1' -p \"a=b c\" x\\ y").unwrap(),
            ["find-ip", "-p", "ip=10.0.0.1", "-p", "a=b c", "x y"]
        );
        assert_eq!(words("  ").unwrap(), Vec::<String>::new());
        assert!(words("'open").is_err());
    }
}
