//! The saved-query library: one `queries/<name>.sql` file per query, a YAML header in a leading
//! `/* … */` comment and a minijinja template after it. The built-in files are embedded at build
//! time; user directories overlay them by name. Loading checks everything that can be checked
//! without a table or parameters (header fields, defaults, template syntax, the variables a template
//! uses), and reports problems with file and line. It does not render.

pub mod params;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use sha2::{Digest, Sha256};

pub use params::{ParamSpec, ParamType};

use crate::logs::flowlogs::fields::{self, Field};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_queries.rs"));
}

/// Names a template may use besides its parameters.
pub const CONTEXT_NAMES: &[&str] = &[
    "table",
    "dialect",
    "window_start",
    "window_end",
    "time_filter",
    "cidr_match",
    "ip_match",
    "protocol_name",
    "port_list",
    "median",
    "end_of_window",
    "loop",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin(&'static str),
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Builtin(p) => write!(f, "{p} (built in)"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

impl Source {
    /// The path to name in messages.
    pub fn path(&self) -> String {
        match self {
            Source::Builtin(p) => (*p).to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// One saved query.
#[derive(Debug, Clone)]
pub struct Query {
    pub name: String,
    pub version: u32,
    pub title: String,
    pub description: String,
    pub params: Vec<ParamSpec>,
    /// Header line of each parameter's declaration, by parameter index.
    pub param_lines: Vec<usize>,
    pub fields: Vec<&'static Field>,
    pub tags: Vec<String>,
    pub source: Source,
    /// The whole file, as read.
    pub text: String,
    /// The template with the header blanked out, so template lines are file lines.
    pub template: String,
}

impl Query {
    /// A value for each parameter with no default, of its type: what renders the query for a check.
    pub fn sample_params(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .filter(|p| p.default.is_none() && p.default_from.is_none())
            .map(|p| (p.name.clone(), p.sample()))
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<(usize, &ParamSpec)> {
        self.params.iter().enumerate().find(|(_, p)| p.name == name)
    }

    /// The lowest flow-log format version that has every field the query needs.
    pub fn min_format_version(&self) -> u8 {
        self.fields.iter().map(|f| f.version).max().unwrap_or(2)
    }

    /// SHA-256 of the file text, hex: what changed, even when the version was not bumped.
    pub fn content_hash(&self) -> String {
        let digest = Sha256::digest(self.text.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Malformed { file: String, line: Option<usize>, message: String },
    #[error("no query named `{name}` in the library")]
    NotFound { name: String, suggestion: Option<String> },
    #[error("cannot read query directory {dir}: {source}")]
    Io { dir: String, source: std::io::Error },
}

/// Header fields, in the order a reader expects them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
    version: u32,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    params: OrderedMap<ParamSpec>,
    fields: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
}

/// A YAML mapping that keeps its order (parameters are listed in declaration order).
#[derive(Debug)]
struct OrderedMap<V>(Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of parameter names to declarations")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(serde::de::Error::custom(format!("parameter `{k}` is declared twice")));
                    }
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

fn is_query_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_param_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Where a YAML syntax error really is. The parser notices an unclosed `{`, `[` or quote only on a
/// later line; point at the nearest line at or above `reported` (1-based) that leaves one open.
fn opened_at(header: &str, reported: usize) -> usize {
    let unbalanced = |l: &str| {
        let count = |c: char| l.matches(c).count();
        count('{') != count('}') || count('[') != count(']') || count('\'') % 2 == 1 || count('"') % 2 == 1
    };
    let lines: Vec<&str> = header.lines().collect();
    (1..=reported.min(lines.len())).rev().find(|&n| unbalanced(lines[n - 1])).unwrap_or(reported)
}

/// Parses one query file. `file` names it in messages; `stem` is its file name without `.sql`.
pub fn parse_query(text: &str, source: Source, stem: &str) -> Result<Query, LibraryError> {
    let file = source.path();
    let err =
        |line: Option<usize>, message: String| LibraryError::Malformed { file: file.clone(), line, message };
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(err(Some(line), "the file holds a NUL byte: it is not a text file".into()));
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = body.len() - body.trim_start().len();
    if !body[start..].starts_with("/*") {
        return Err(err(Some(1), "a query file starts with its YAML header in a /* … */ comment".into()));
    }
    let header_start = start + 2;
    // The header ends at a line holding only `*/`, so a `*/` inside a description cannot end it.
    let mut offset = header_start;
    let mut header_len = None;
    for line in body[header_start..].split_inclusive('\n') {
        if line.trim() == "*/" {
            header_len = Some(offset - header_start + line.find("*/").unwrap_or(0));
            break;
        }
        offset += line.len();
    }
    let header_len = header_len.ok_or_else(|| {
        err(Some(1), "the header comment is never closed: end it with `*/` on a line of its own".into())
    })?;
    let header_text = &body[header_start..header_start + header_len];
    // The header text starts on the line of `/*`, so its line N is file line first_line + N - 1.
    let first_line = body[..header_start].matches('\n').count() + 1;

    let header: Header = serde_yaml::from_str(header_text).map_err(|e| {
        let line = e.location().map(|l| opened_at(header_text, l.line()) + first_line - 1);
        // serde_yaml appends "at line N column M" for its own lines; ours are file lines.
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        err(line, msg)
    })?;
    let line_of = |key: &str| -> usize {
        header_text
            .lines()
            .position(|l| {
                let t = l.trim_start();
                t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map(|i| first_line + i)
            .unwrap_or(first_line)
    };

    if header.name != stem {
        return Err(err(
            Some(line_of("name")),
            format!(
                "the header names the query `{}` but the file is `{stem}.sql`; they must match",
                header.name
            ),
        ));
    }
    if !is_query_name(&header.name) {
        return Err(err(
            Some(line_of("name")),
            format!("`{}` is not a query name: use lowercase letters, digits and hyphens", header.name),
        ));
    }
    if header.version == 0 {
        return Err(err(Some(line_of("version")), "version starts at 1".into()));
    }

    let mut params = Vec::new();
    let mut param_lines = Vec::new();
    for (name, mut spec) in header.params.0 {
        let line = line_of(&name);
        if !is_param_name(&name) || CONTEXT_NAMES.contains(&name.as_str()) {
            return Err(err(
                Some(line),
                format!(
                    "`{name}` cannot be a parameter name: use lowercase letters, digits and underscores, and none of {}",
                    CONTEXT_NAMES.join(", ")
                ),
            ));
        }
        spec.check().map_err(|e| err(Some(line), format!("parameter `{name}`: {e}")))?;
        spec.name = name;
        params.push(spec);
        param_lines.push(line);
    }

    let mut fields_needed = Vec::new();
    for f in &header.fields {
        let field = fields::lookup(f)
            .ok_or_else(|| err(Some(line_of("fields")), format!("`{f}` is not a VPC flow-log field")))?;
        fields_needed.push(field);
    }

    // Blank the header but keep its newlines, so template line numbers are file line numbers.
    let header_end = header_start + header_len + 2;
    if body[header_end..].trim().is_empty() {
        let line = body[..header_end].matches('\n').count() + 1;
        return Err(err(Some(line), "the query has no SQL after its header".into()));
    }
    let template =
        format!("{}{}", "\n".repeat(body[..header_end].matches('\n').count()), &body[header_end..]);

    let query = Query {
        name: header.name,
        version: header.version,
        title: header.title,
        description: header.description.trim().to_string(),
        params,
        param_lines,
        fields: fields_needed,
        tags: header.tags,
        source,
        text: text.to_string(),
        template,
    };
    check_template(&query)?;
    Ok(query)
}

/// Compiles the template and checks that it uses only declared parameters and athq's own names.
fn check_template(query: &Query) -> Result<(), LibraryError> {
    let file = query.source.path();
    let mut env = crate::sql::environment();
    env.add_template_owned(file.clone(), query.template.clone()).map_err(|e| LibraryError::Malformed {
        file: file.clone(),
        line: e.line(),
        message: format!("template: {}", e.detail().unwrap_or("syntax error")),
    })?;
    let tmpl = env.get_template(&file).expect("just added");
    let mut unknown: Vec<String> = tmpl
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| !CONTEXT_NAMES.contains(&v.as_str()) && query.param(v).is_none())
        .collect();
    unknown.sort();
    if let Some(name) = unknown.first() {
        let line = query.template.lines().position(|l| l.contains(name.as_str())).map(|i| i + 1);
        return Err(LibraryError::Malformed {
            file,
            line,
            message: format!("the template uses `{name}`, which is not a declared parameter"),
        });
    }
    Ok(())
}

/// The library: built-in queries overlaid by user directories, by name. A user file that does not
/// load is kept aside with its error: it hides the query of its name, and only commands that use
/// that query fail.
#[derive(Debug, Clone)]
pub struct Library {
    queries: BTreeMap<String, Query>,
    broken: BTreeMap<String, Broken>,
}

/// A query file that did not load.
#[derive(Debug, Clone)]
pub struct Broken {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Broken {
    pub fn error(&self) -> LibraryError {
        LibraryError::Malformed { file: self.file.clone(), line: self.line, message: self.message.clone() }
    }
}

impl Library {
    /// The built-in queries only.
    pub fn builtin() -> Result<Library, LibraryError> {
        let mut queries = BTreeMap::new();
        for (path, text) in builtin::BUILTIN {
            let stem = path.trim_start_matches("queries/").trim_end_matches(".sql");
            let q = parse_query(text, Source::Builtin(path), stem)?;
            queries.insert(q.name.clone(), q);
        }
        Ok(Library { queries, broken: BTreeMap::new() })
    }

    /// Built-ins, then each directory in order; a later file with the same name wins.
    pub fn load(dirs: &[PathBuf]) -> Result<Library, LibraryError> {
        let mut lib = Library::builtin()?;
        for dir in dirs {
            lib.overlay(dir)?;
        }
        Ok(lib)
    }

    fn overlay(&mut self, dir: &Path) -> Result<(), LibraryError> {
        let io = |source| LibraryError::Io { dir: dir.display().to_string(), source };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "sql") && p.is_file());
        paths.sort();
        for path in paths {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let loaded = std::fs::read_to_string(&path)
                .map_err(|e| LibraryError::Malformed {
                    file: path.display().to_string(),
                    line: None,
                    message: format!("cannot read: {e}"),
                })
                .and_then(|text| parse_query(&text, Source::File(path), &stem));
            match loaded {
                Ok(q) => {
                    self.broken.remove(&q.name);
                    self.queries.insert(q.name.clone(), q);
                }
                Err(LibraryError::Malformed { file, line, message }) => {
                    self.queries.remove(&stem);
                    self.broken.insert(stem, Broken { file, line, message });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The query files that did not load, by query name.
    pub fn broken(&self) -> impl Iterator<Item = (&String, &Broken)> {
        self.broken.iter()
    }

    pub fn get(&self, name: &str) -> Result<&Query, LibraryError> {
        if let Some(b) = self.broken.get(name) {
            return Err(b.error());
        }
        self.queries
            .get(name)
            .ok_or_else(|| LibraryError::NotFound { name: name.to_string(), suggestion: self.closest(name) })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Query> {
        self.queries.values()
    }

    pub fn len(&self) -> usize {
        self.queries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    fn closest(&self, name: &str) -> Option<String> {
        self.queries
            .keys()
            .map(|k| (edit_distance(k, name), k))
            .filter(|(d, k)| *d <= 3.max(k.len() / 3))
            .min()
            .map(|(_, k)| k.clone())
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Query, LibraryError> {
        parse_query(text, Source::File("q/demo.sql".into()), "demo")
    }

    const GOOD: &str = "/*\nname: demo\nversion: 2\ntitle: Demo\nparams:\n  limit: {type: int, default: 5}\n  src: {type: ip}\nfields: [srcaddr, log-status]\n*/\nSELECT srcaddr FROM {{ table }}\nWHERE srcaddr = {{ src|str }}\nLIMIT {{ limit }}\n";

    #[test]
    fn parses_header_and_keeps_template_lines() {
        let q = parse(GOOD).unwrap();
        assert_eq!(q.name, "demo");
        assert_eq!(q.version, 2);
        assert_eq!(q.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["limit", "src"]);
        assert_eq!(q.param_lines, [6, 7]);
        assert_eq!(q.fields[1].aws_name, "log-status");
        assert_eq!(q.template.lines().nth(9), Some("SELECT srcaddr FROM {{ table }}"));
        assert_eq!(q.content_hash().len(), 64);
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        assert_eq!(
            error_of("SELECT 1"),
            "q/demo.sql:1: a query file starts with its YAML header in a /* … */ comment"
        );
        let e = error_of(&GOOD.replace("type: int,", "type: integer,"));
        assert!(e.starts_with("q/demo.sql:6: "), "{e}");
        let e = error_of(&GOOD.replace("title: Demo", "title: Demo\ncolour: red"));
        assert!(e.starts_with("q/demo.sql:5: unknown field `colour`"), "{e}");
        let e = error_of(&GOOD.replace("default: 5", "default: five"));
        assert!(e.starts_with("q/demo.sql:6: parameter `limit`"), "{e}");
        let e = error_of(&GOOD.replace("log-status", "log-stat"));
        assert!(e.starts_with("q/demo.sql:8: `log-stat` is not"), "{e}");
        let e = error_of(&GOOD.replace("{{ limit }}", "{{ limt }}"));
        assert_eq!(e, "q/demo.sql:12: the template uses `limt`, which is not a declared parameter");
        let e = error_of(&GOOD.replace("{{ limit }}", "{% if %}"));
        assert!(e.starts_with("q/demo.sql:12: template:"), "{e}");
        let e = error_of(&GOOD.replace("name: demo", "name: other"));
        assert!(e.contains("must match"), "{e}");
        assert!(error_of("/* name: demo").contains("never closed"));
        let e = error_of(&GOOD.replace("  src:", "  table:"));
        assert!(e.starts_with("q/demo.sql:7: `table` cannot be a parameter name"), "{e}");
    }

    #[test]
    fn header_edge_cases_are_load_errors_with_lines() {
        // A `*/` inside the description does not end the header.
        let q = parse(&GOOD.replace("title: Demo", "title: Demo\ndescription: counts a */ b")).unwrap();
        assert_eq!(q.description, "counts a */ b");
        let e = error_of(&GOOD.replace("  src: {type: ip}", "  src: {type: ip}\n  limit: {type: int}"));
        assert!(e.starts_with("q/demo.sql:") && e.contains("parameter `limit` is declared twice"), "{e}");
        let e = error_of(&GOOD.replace("Demo", "De\0mo"));
        assert_eq!(e, "q/demo.sql:4: the file holds a NUL byte: it is not a text file");
        let e = error_of(&GOOD[..GOOD.find("*/").unwrap() + 3]);
        assert_eq!(e, "q/demo.sql:9: the query has no SQL after its header");
        let e = error_of(&GOOD.replace("default: 5", "default: 5, min: 9, max: 3"));
        assert!(e.starts_with("q/demo.sql:6: parameter `limit`: min (9) is above max (3)"), "{e}");
        // A YAML syntax error is reported on the line that holds it, not the line after.
        let e = error_of(&GOOD.replace("default: 5}", "default: 5"));
        assert!(e.starts_with("q/demo.sql:6: did not find expected"), "{e}");
        let e = error_of(&GOOD.replace("title: Demo", "title: 'Demo"));
        assert!(e.starts_with("q/demo.sql:4: "), "{e}");
        let e = error_of(&GOOD.replace("params:\n", "params:\n\t"));
        assert!(e.starts_with("q/demo.sql:6: "), "{e}");
    }

    #[test]
    fn builtins_load_and_overlay_by_name() {
        let lib = Library::builtin().unwrap();
        assert!(lib.get("reject-top").is_ok());
        match lib.get("reject-tpo") {
            Err(LibraryError::NotFound { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("reject-top"))
            }
            other => panic!("{other:?}"),
        }
        let dir = tempfile::tempdir().unwrap();
        let text = GOOD.replace("demo", "reject-top");
        std::fs::write(dir.path().join("reject-top.sql"), text).unwrap();
        let lib2 = Library::load(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(lib2.len(), lib.len());
        assert!(matches!(lib2.get("reject-top").unwrap().source, Source::File(_)));
    }
}
