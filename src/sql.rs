//! SQL text safety: literal and identifier quoting, and the strict minijinja environment every SQL
//! template (queries and DDL) is rendered in. That environment refuses to print a plain string:
//! only values that went through an escaping filter (`|str`, `|sql_list`) or a dialect function
//! reach the SQL, so a parameter value can never change a statement's shape.
//! It must not know about queries, parameters or tables.

use minijinja::value::ValueKind;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};

/// `it's` → `'it''s'`: the only literal form both Trino and Hive DDL read the same way.
pub fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A Trino (DML) identifier: `"end"`. Names come from validated settings; quotes are doubled anyway.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A Hive (DDL) identifier: `` `end` ``.
pub fn hive_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Marks SQL text that athq generated itself as fit to print.
pub fn safe(sql: impl Into<String>) -> Value {
    Value::from_safe_string(sql.into())
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// Marks an execution-parameter slot in rendered text: `\u{1}name\u{1}`, turned into `?` by
/// [`slots_to_placeholders`]. Parameter values cannot carry it: they only reach SQL as literals.
const SLOT: char = '\u{1}';

/// A parameter with no value, to be given when the statement runs: renders as a `?`.
pub fn slot(name: &str) -> Value {
    safe(format!("{SLOT}{name}{SLOT}"))
}

/// The parameter a value stands for, when it is a [`slot`].
pub fn slot_name(value: &Value) -> Option<&str> {
    value.as_str()?.strip_prefix(SLOT)?.strip_suffix(SLOT).filter(|n| !n.contains(SLOT))
}

/// Rendered text with its slots replaced by `?`, and the parameter each `?` stands for, in order.
/// None when the slots are malformed or a `?` of the text is not a slot (say, one inside a string).
pub fn slots_to_placeholders(rendered: &str) -> Option<(String, Vec<String>)> {
    let parts: Vec<&str> = rendered.split(SLOT).collect();
    if parts.len().is_multiple_of(2) || parts.iter().step_by(2).any(|p| !placeholders(p).is_empty()) {
        return None;
    }
    let mut sql = String::with_capacity(rendered.len());
    let mut names = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i % 2 == 0 {
            sql.push_str(part);
        } else {
            sql.push('?');
            names.push(part.to_string());
        }
    }
    (placeholders(&sql).len() == names.len()).then_some((sql, names))
}

/// `{{ value|str }}`: a string literal (a slot stays a slot: its value is given as a literal).
fn filter_str(value: Value) -> Result<Value, Error> {
    if slot_name(&value).is_some() {
        return Ok(value);
    }
    match value.kind() {
        ValueKind::String => Ok(safe(literal(value.as_str().unwrap_or_default()))),
        ValueKind::Number if value.as_i64().is_some() => Ok(safe(literal(&value.to_string()))),
        kind => Err(invalid(format!("|str takes a string, not {kind}"))),
    }
}

/// `{{ values|sql_list }}`: `('a', 'b')` or `(22, 3389)`, for `IN`.
fn filter_sql_list(value: Value) -> Result<Value, Error> {
    let mut items = Vec::new();
    for item in value.try_iter()? {
        if slot_name(&item).is_some() {
            return Err(invalid("a list cannot be a `?` parameter"));
        }
        items.push(match item.kind() {
            ValueKind::Number => item
                .as_i64()
                .map(|n| n.to_string())
                .ok_or_else(|| invalid("|sql_list takes whole numbers or strings"))?,
            ValueKind::String => literal(item.as_str().unwrap_or_default()),
            kind => return Err(invalid(format!("|sql_list cannot hold {kind}"))),
        });
    }
    if items.is_empty() {
        return Err(invalid("|sql_list got an empty list, which is not valid SQL"));
    }
    Ok(safe(format!("({})", items.join(", "))))
}

/// Prints numbers and booleans as SQL, safe strings verbatim, and refuses everything else.
fn strict_formatter(
    out: &mut minijinja::Output,
    _state: &minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    let text = match value.kind() {
        ValueKind::Bool => if value.is_true() { "TRUE" } else { "FALSE" }.to_string(),
        ValueKind::Number => {
            if value.as_i64().is_none() {
                return Err(invalid(format!("only whole numbers can be printed into SQL, not {value}")));
            }
            value.to_string()
        }
        ValueKind::String if value.is_safe() => value.as_str().unwrap_or_default().to_string(),
        ValueKind::String => {
            return Err(invalid(
                "a string reached the SQL unescaped: write it as {{ value|str }} (or use a dialect function)",
            ));
        }
        ValueKind::Undefined | ValueKind::None => {
            return Err(Error::new(ErrorKind::UndefinedError, "an undefined value reached the SQL"));
        }
        kind => return Err(invalid(format!("a {kind} cannot be printed into SQL; use |sql_list for lists"))),
    };
    out.write_str(&text).map_err(|_| Error::new(ErrorKind::WriteFailure, "write failed"))
}

/// The environment SQL templates render in: strict undefined, strict output, no `safe` filter.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_debug(true);
    env.set_formatter(strict_formatter);
    // These would let a template print a value without escaping it.
    for name in ["safe", "escape", "e", "tojson", "urlencode"] {
        env.remove_filter(name);
    }
    env.add_filter("str", filter_str);
    env.add_filter("sql_list", filter_sql_list);
    env
}

/// An execution parameter as a SQL literal, by type: a whole or decimal number as it is,
/// `true`/`false` as a boolean, a value already written as a string literal (`'it''s'`) as it is,
/// and anything else as a string literal. A value can never change the statement's shape.
pub fn parameter_literal(value: &str) -> String {
    let v = value.trim();
    let number = {
        let digits = v.strip_prefix('-').unwrap_or(v);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
        !int.is_empty()
            && !frac.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    let quoted = v.len() >= 2
        && v.starts_with('\'')
        && v.ends_with('\'')
        && !v[1..v.len() - 1].replace("''", "").contains('\'');
    if number || quoted {
        v.to_string()
    } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        v.to_ascii_uppercase()
    } else {
        literal(value)
    }
}

/// Where the `?` placeholders of a statement are: not inside strings, quoted identifiers or
/// comments.
pub fn placeholders(sql: &str) -> Vec<usize> {
    code_positions(sql, b'?')
}

/// Where `byte` occurs in the statement's code: not inside strings, quoted identifiers or comments
/// (an unterminated one runs to the end).
pub fn code_positions(sql: &str, byte: u8) -> Vec<usize> {
    let mut out = Vec::new();
    walk_code(sql, |i, c| {
        if c == byte {
            out.push(i)
        }
    });
    out
}

/// The words of the statement's code, lowercased: not those inside strings, quoted identifiers
/// or comments.
pub fn code_words(sql: &str) -> Vec<String> {
    let mut code = vec![b' '; sql.len()];
    walk_code(sql, |i, c| code[i] = c);
    String::from_utf8_lossy(&code)
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when the text holds nothing but white space and comments: no statement.
pub fn only_comments(sql: &str) -> bool {
    let mut code = false;
    walk_code(sql, |_, c| code |= !c.is_ascii_whitespace());
    !code
}

/// What the text leaves open at its end, and the byte where it starts: a string (`'`), a quoted
/// identifier (`"`) or a block comment (`/*`).
pub fn unterminated(sql: &str) -> Option<(&'static str, usize)> {
    walk_code(sql, |_, _| {})
}

/// Calls `code` with each byte of the text outside strings, quoted identifiers and comments;
/// returns what is left open at the end (see [`unterminated`]).
fn walk_code(sql: &str, mut code: impl FnMut(usize, u8)) -> Option<(&'static str, usize)> {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                let start = i;
                i += 1;
                loop {
                    if i >= b.len() {
                        return Some((if q == b'\'' { "string" } else { "quoted identifier" }, start));
                    }
                    if b[i] == q && b.get(i + 1) == Some(&q) {
                        i += 2;
                    } else if b[i] == q {
                        break;
                    } else {
                        i += 1;
                    }
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                if i + 1 >= b.len() {
                    return Some(("comment", start));
                }
                i += 1;
            }
            c => code(i, c),
        }
        i += 1;
    }
    None
}

/// The statement with each `?` replaced by the next literal (the caller has checked the count).
pub fn bind(sql: &str, literals: &[String]) -> String {
    let mut out = String::with_capacity(sql.len() + literals.iter().map(String::len).sum::<usize>());
    let mut last = 0;
    for (at, lit) in placeholders(sql).into_iter().zip(literals) {
        out.push_str(&sql[last..at]);
        out.push_str(lit);
        last = at + 1;
    }
    out.push_str(&sql[last..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn parameters_become_literals_by_type() {
        assert_eq!(parameter_literal("443"), "443");
        assert_eq!(parameter_literal("-1.5"), "-1.5");
        assert_eq!(parameter_literal("TRUE"), "TRUE");
        assert_eq!(parameter_literal("10.0.0.5"), "'10.0.0.5'");
        assert_eq!(parameter_literal("'quoted'"), "'quoted'");
        assert_eq!(parameter_literal("x' OR '1'='1"), "'x'' OR ''1''=''1'");
        assert_eq!(parameter_literal("'a' OR 'b'"), "'''a'' OR ''b'''");
        assert_eq!(parameter_literal("1e3"), "'1e3'");
    }

    #[test]
    fn slots_become_placeholders_in_order() {
        let text = render(
            "a = {{ x|str }} AND b = {{ y }} AND c = {{ x }}",
            context! { x => slot("ip"), y => slot("port") },
        )
        .unwrap();
        let (sql, names) = slots_to_placeholders(&text).unwrap();
        assert_eq!(sql, "a = ? AND b = ? AND c = ?");
        assert_eq!(names, ["ip", "port", "ip"]);
        // A `?` that is not a slot, or a slot cut in half, is refused.
        assert!(slots_to_placeholders("a = ? AND b = \u{1}ip\u{1}").is_none());
        assert!(slots_to_placeholders("a = \u{1}ip").is_none());
        assert_eq!(slots_to_placeholders("a = '?'").unwrap().1, Vec::<String>::new());
        assert!(render("{{ l|sql_list }}", context! { l => vec![slot("p")] }).is_err());
    }

    #[test]
    fn placeholders_skip_strings_identifiers_and_comments() {
        let sql = "SELECT '?', \"a?\" -- ?\nFROM t /* ? */ WHERE a = ? AND b = 'it''s?' AND c = ?";
        assert_eq!(placeholders(sql).len(), 2);
        assert_eq!(
            bind(sql, &["1".into(), "'x'".into()]),
            "SELECT '?', \"a?\" -- ?\nFROM t /* ? */ WHERE a = 1 AND b = 'it''s?' AND c = 'x'"
        );
    }

    use super::*;
    use minijinja::context;

    fn render(src: &str, ctx: Value) -> Result<String, Error> {
        environment().render_str(src, ctx)
    }

    #[test]
    fn literals_double_quotes() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal("''"), "''''''");
        assert_eq!(ident("end"), "\"end\"");
        assert_eq!(hive_ident("date"), "`date`");
    }

    #[test]
    fn plain_strings_never_print() {
        let err = render("{{ v }}", context! { v => "x' OR 1=1" }).unwrap_err();
        assert!(err.to_string().contains("unescaped"), "{err}");
        assert!(render("{{ v|safe }}", context! { v => "x" }).is_err());
        assert_eq!(render("{{ v|str }}", context! { v => "x' OR 1=1 --" }).unwrap(), "'x'' OR 1=1 --'");
        assert!(render("{{ missing }}", context! {}).is_err());
    }

    #[test]
    fn numbers_bools_and_lists() {
        assert_eq!(render("{{ n }} {{ b }}", context! { n => 25, b => true }).unwrap(), "25 TRUE");
        assert!(render("{{ f }}", context! { f => 1.5 }).is_err());
        assert_eq!(render("{{ l|sql_list }}", context! { l => vec![22, 3389] }).unwrap(), "(22, 3389)");
        assert_eq!(render("{{ l|sql_list }}", context! { l => vec!["a'b"] }).unwrap(), "('a''b')");
        assert!(render("{{ l|sql_list }}", context! { l => Vec::<i64>::new() }).is_err());
    }
}
