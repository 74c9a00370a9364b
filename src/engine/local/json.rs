//! Trino's JSON functions on the embedded engine. A JSON value is text here, as compact as Trino
//! prints it (`{"a":1}`), typed [`JSON`] so that a cast of it reads the JSON (as Trino's casts
//! from `json` do: `CAST(JSON '"abc"' AS VARCHAR)` is `abc`), not the text; a path is Trino's JSONPath subset (`$`, `.key`, `["key"]`, `[0]`).
//! Values are found by scanning the text, not by building a document: `json_extract_scalar`
//! over a column of CloudTrail records reads each record once and allocates only its answer.
//! As on Trino, text that is not JSON gives NULL from the extracting functions and an error from
//! `json_parse`. It must not know about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, Int64Array, LargeStringArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::prelude::SessionContext;

use super::fun::{Fun, fail, ints, is_int, is_text, text, wrong};

/// Every function this module adds, with what it does, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    (
        "json_extract_scalar",
        "`json_extract_scalar(json, '$.a.b[0]')`: a string, number or boolean as text; NULL otherwise",
    ),
    ("json_extract", "`json_extract(json, path)`: the value at the path, as JSON"),
    ("json_parse", "text as JSON (an error when it is not JSON)"),
    ("json_format", "JSON as text"),
    (
        "json_size",
        "`json_size(json, path)`: how many members or elements the value at the path has (0 for a scalar)",
    ),
    ("json_array_length", "how many elements a JSON array has"),
    ("json_array_get", "`json_array_get(json_array, i)`: element i, from 0 (negative counts from the end)"),
    ("json_array_contains", "`json_array_contains(json_array, value)`: whether the array holds the value"),
    ("is_json_scalar", "whether JSON is a number, string, boolean or null"),
    (
        "CAST(json AS t)",
        "a JSON value as a value of `t`: `CAST(JSON '\"abc\"' AS VARCHAR)` is `abc`, a number or string \
         as a number, an array as `ARRAY(t)`, an object as `MAP(varchar, t)`; other values fail the cast",
    ),
];

/// The type of a JSON value: text, but a type no file column and no other function has (a
/// table's text columns are string views), so that the casts of a JSON value can be told apart
/// from the casts of text and read as Trino reads them.
pub const JSON: DataType = DataType::LargeUtf8;

/// Registers the functions on a session.
pub fn register(ctx: &SessionContext) {
    for f in [
        Fun::udf("json_extract_scalar", &[2], text_and_path, json_extract_scalar),
        Fun::udf("json_extract", &[2], json_of_text_and_path, json_extract),
        Fun::udf("json_parse", &[1], json_of_text, json_parse),
        Fun::udf("json_format", &[1], one_text, json_format),
        Fun::udf("json_size", &[2], int_of_text_and_path, json_size),
        Fun::udf("json_array_length", &[1], int_of_text, json_array_length),
        Fun::udf("json_array_get", &[2], array_get_type, json_array_get),
        Fun::udf("json_array_contains", &[2], contains_type, json_array_contains),
        Fun::udf("is_json_scalar", &[1], bool_of_text, is_json_scalar),
    ] {
        ctx.register_udf(f);
    }
}

fn text_and_path(name: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_text) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "JSON (or text) and a JSON path", args)),
    }
}

fn json_of_text_and_path(name: &str, args: &[DataType]) -> Result<DataType> {
    text_and_path(name, args).map(|_| JSON)
}

fn int_of_text_and_path(name: &str, args: &[DataType]) -> Result<DataType> {
    text_and_path(name, args).map(|_| DataType::Int64)
}

fn one_text(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_text(&args[0]) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "JSON or text", args)),
    }
}

fn json_of_text(name: &str, args: &[DataType]) -> Result<DataType> {
    one_text(name, args).map(|_| JSON)
}

fn int_of_text(name: &str, args: &[DataType]) -> Result<DataType> {
    one_text(name, args).map(|_| DataType::Int64)
}

fn bool_of_text(name: &str, args: &[DataType]) -> Result<DataType> {
    one_text(name, args).map(|_| DataType::Boolean)
}

fn array_get_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_text(&args[0]) && is_int(&args[1]) {
        true => Ok(JSON),
        false => Err(wrong(name, "a JSON array and an index", args)),
    }
}

fn contains_type(name: &str, args: &[DataType]) -> Result<DataType> {
    let value = &args[1];
    match is_text(&args[0])
        && (is_text(value) || value.is_integer() || value.is_floating() || *value == DataType::Boolean)
    {
        true => Ok(DataType::Boolean),
        false => Err(wrong(name, "a JSON array and a string, number or boolean", args)),
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Trino's JSONPath subset: `$` then `.key`, `["key"]` (or single quotes) and `[n]`.
fn parse_path(path: &str) -> std::result::Result<Vec<Step>, String> {
    let bad = || format!("Invalid JSON path: '{path}'");
    let rest = path.trim().strip_prefix('$').ok_or_else(bad)?;
    let b = rest.as_bytes();
    let (mut i, mut steps) = (0, Vec::new());
    while i < b.len() {
        match b[i] {
            b'.' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'.' && b[j] != b'[' {
                    j += 1;
                }
                let key = &rest[start..j];
                if key.is_empty() || key == "*" {
                    return Err(bad());
                }
                steps.push(Step::Key(key.to_string()));
                i = j;
            }
            b'[' => {
                let close = rest[i..].find(']').map(|c| c + i).ok_or_else(bad)?;
                let inner = rest[i + 1..close].trim();
                let quoted = inner.len() >= 2
                    && ((inner.starts_with('"') && inner.ends_with('"'))
                        || (inner.starts_with('\'') && inner.ends_with('\'')));
                if quoted {
                    steps.push(Step::Key(inner[1..inner.len() - 1].to_string()));
                } else {
                    steps.push(Step::Index(inner.parse().map_err(|_| bad())?));
                }
                i = close + 1;
            }
            _ => return Err(bad()),
        }
    }
    Ok(steps)
}

/// How deeply values may nest before a text counts as not JSON (the scanner recurses).
const DEPTH: usize = 500;

fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (its opening quote).
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            c if c < 0x20 => return None,
            _ => j += 1,
        }
    }
    None
}

fn number_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let digits = |j: &mut usize| {
        let s = *j;
        while *j < b.len() && b[*j].is_ascii_digit() {
            *j += 1;
        }
        *j > s
    };
    if !digits(&mut j) {
        return None;
    }
    if b.get(j) == Some(&b'.') {
        j += 1;
        if !digits(&mut j) {
            return None;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if !digits(&mut j) {
            return None;
        }
    }
    Some(j)
}

/// The end of the value starting at `i` (no leading whitespace), checking it is JSON.
fn value_end(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > DEPTH {
        return None;
    }
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' => {
            let mut j = ws(b, i + 1);
            if b.get(j) == Some(&b'}') {
                return Some(j + 1);
            }
            loop {
                if b.get(j) != Some(&b'"') {
                    return None;
                }
                j = ws(b, string_end(b, j)?);
                if b.get(j) != Some(&b':') {
                    return None;
                }
                j = ws(b, value_end(b, ws(b, j + 1), depth + 1)?);
                match b.get(j)? {
                    b',' => j = ws(b, j + 1),
                    b'}' => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'[' => {
            let mut j = ws(b, i + 1);
            if b.get(j) == Some(&b']') {
                return Some(j + 1);
            }
            loop {
                j = ws(b, value_end(b, j, depth + 1)?);
                match b.get(j)? {
                    b',' => j = ws(b, j + 1),
                    b']' => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b't' => b[i..].starts_with(b"true").then_some(i + 4),
        b'f' => b[i..].starts_with(b"false").then_some(i + 5),
        b'n' => b[i..].starts_with(b"null").then_some(i + 4),
        b'-' | b'0'..=b'9' => number_end(b, i),
        _ => None,
    }
}

/// The whole text's one value, if the text is JSON.
fn whole(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let start = ws(b, 0);
    let end = value_end(b, start, 0)?;
    (ws(b, end) == b.len()).then(|| &s[start..end])
}

fn unescape(raw: &str) -> Option<String> {
    serde_json::from_str::<String>(raw).ok()
}

/// The members of an object (raw key, raw value) or the elements of an array (raw values).
fn children(v: &str) -> Vec<(Option<&str>, &str)> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let object = b.first() == Some(&b'{');
    let mut j = ws(b, 1);
    if matches!(b.get(j), Some(b'}' | b']')) {
        return out;
    }
    loop {
        let key = if object {
            let Some(end) = string_end(b, j) else { return out };
            let k = &v[j..end];
            j = ws(b, ws(b, end) + 1);
            Some(k)
        } else {
            None
        };
        let Some(end) = value_end(b, j, 1) else { return out };
        out.push((key, &v[j..end]));
        j = ws(b, end);
        if b.get(j) != Some(&b',') {
            return out;
        }
        j = ws(b, j + 1);
    }
}

/// The raw value at `path` in the JSON text `doc` (already checked to be JSON).
fn find<'a>(doc: &'a str, path: &[Step]) -> Option<&'a str> {
    let mut v = doc;
    for step in path {
        v = match (v.as_bytes().first()?, step) {
            (b'{', Step::Key(k)) => {
                children(v).into_iter().find(|(key, _)| key.and_then(unescape).as_deref() == Some(k))?.1
            }
            (b'{', Step::Index(n)) => {
                let key = n.to_string();
                children(v)
                    .into_iter()
                    .find(|(k, _)| k.and_then(unescape).as_deref() == Some(key.as_str()))?
                    .1
            }
            (b'[', Step::Index(n)) => children(v).get(*n)?.1,
            _ => return None,
        };
    }
    Some(v)
}

/// A double as Java writes it (`100.0`, `1.5E-4`), as Trino's JSON prints numbers with a fraction.
fn java_double(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let a = x.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
        format!("{mantissa}E{exp}")
    }
}

/// JSON as Trino prints it: no whitespace, strings re-escaped, numbers with a fraction or an
/// exponent as doubles.
fn canonical(v: &str, out: &mut String) {
    let b = v.as_bytes();
    match b.first() {
        Some(b'{') | Some(b'[') => {
            let object = b[0] == b'{';
            out.push(if object { '{' } else { '[' });
            for (n, (key, value)) in children(v).into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                if let Some(k) = key {
                    canonical(k, out);
                    out.push(':');
                }
                canonical(value, out);
            }
            out.push(if object { '}' } else { ']' });
        }
        Some(b'"') => match unescape(v) {
            Some(s) => out.push_str(&serde_json::to_string(&s).unwrap_or_else(|_| v.to_string())),
            None => out.push_str(v),
        },
        Some(_) if v.contains(['.', 'e', 'E']) && !matches!(v, "true" | "false" | "null") => {
            match v.parse::<f64>() {
                Ok(x) => out.push_str(&java_double(x)),
                Err(_) => out.push_str(v),
            }
        }
        _ => out.push_str(v),
    }
}

fn canonical_of(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    canonical(v, &mut s);
    s
}

/// Runs `f` over each row's JSON text and path (the path parsed once while it stays the same).
fn with_path<T>(
    name: &str,
    a: &[ArrayRef],
    mut f: impl FnMut(&str, &[Step]) -> Option<T>,
) -> Result<Vec<Option<T>>> {
    let mut last: Option<(String, Vec<Step>)> = None;
    let mut out = Vec::with_capacity(a[0].len());
    for i in 0..a[0].len() {
        let (Some(doc), Some(path)) = (text(&a[0], i), text(&a[1], i)) else {
            out.push(None);
            continue;
        };
        if last.as_ref().is_none_or(|(p, _)| p != path) {
            let steps = parse_path(path).map_err(|e| fail(name, e))?;
            last = Some((path.to_string(), steps));
        }
        let steps = &last.as_ref().expect("just set").1;
        out.push(whole(doc).and_then(|d| f(d, steps)));
    }
    Ok(out)
}

fn json_extract_scalar(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = with_path(name, a, |doc, path| {
        let v = find(doc, path)?;
        match v.as_bytes()[0] {
            b'"' => unescape(v),
            b'{' | b'[' | b'n' => None,
            _ => Some(v.to_string()),
        }
    })?;
    Ok(Arc::new(StringArray::from(out)))
}

fn json_extract(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = with_path(name, a, |doc, path| find(doc, path).map(canonical_of))?;
    Ok(Arc::new(LargeStringArray::from(out)))
}

fn json_size(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = with_path(name, a, |doc, path| {
        let v = find(doc, path)?;
        Some(match v.as_bytes()[0] {
            b'{' | b'[' => children(v).len() as i64,
            _ => 0,
        })
    })?;
    Ok(Arc::new(Int64Array::from(out)))
}

fn json_parse(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = (0..a[0].len())
        .map(|i| {
            let Some(s) = text(&a[0], i) else { return Ok(None) };
            match whole(s) {
                Some(v) => Ok(Some(canonical_of(v))),
                None => {
                    let shown: String = s.chars().take(80).collect();
                    Err(fail(name, format!("Cannot convert value to JSON: '{shown}'")))
                }
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(LargeStringArray::from(out)))
}

fn json_format(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out: StringArray = (0..a[0].len())
        .map(|i| text(&a[0], i).map(|s| whole(s).map(canonical_of).unwrap_or_else(|| s.to_string())))
        .collect();
    Ok(Arc::new(out))
}

fn json_array_length(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out: Int64Array = (0..a[0].len())
        .map(|i| {
            let v = whole(text(&a[0], i)?)?;
            (v.as_bytes()[0] == b'[').then(|| children(v).len() as i64)
        })
        .collect();
    Ok(Arc::new(out))
}

fn json_array_get(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let index = ints(name, &a[1])?;
    let out: LargeStringArray = (0..a[0].len())
        .map(|i| {
            let v = whole(text(&a[0], i)?)?;
            if v.as_bytes()[0] != b'[' || index.is_null(i) {
                return None;
            }
            let items = children(v);
            let n = index.value(i);
            let at = if n >= 0 {
                usize::try_from(n).ok()?
            } else {
                items.len().checked_sub(n.unsigned_abs() as usize)?
            };
            items.get(at).map(|(_, v)| canonical_of(v))
        })
        .collect();
    Ok(Arc::new(out))
}

fn json_array_contains(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let values = super::fun::scalars(&a[1], a[1].data_type())?;
    let out: BooleanArray = (0..a[0].len())
        .map(|i| {
            let v = whole(text(&a[0], i)?)?;
            if v.as_bytes()[0] != b'[' {
                return None;
            }
            use datafusion::common::ScalarValue as S;
            let wanted = &values[i];
            if wanted.is_null() {
                return None;
            }
            Some(children(v).into_iter().any(|(_, e)| match (e.as_bytes()[0], wanted) {
                (b'"', S::Utf8(Some(w)) | S::LargeUtf8(Some(w)) | S::Utf8View(Some(w))) => {
                    unescape(e).as_deref() == Some(w.as_str())
                }
                (b't' | b'f', S::Boolean(Some(w))) => (e == "true") == *w,
                (b'-' | b'0'..=b'9', w) if w.data_type().is_integer() => {
                    e.parse::<i64>().ok().map(|n| S::Int64(Some(n))) == w.cast_to(&DataType::Int64).ok()
                }
                (b'-' | b'0'..=b'9', S::Float64(Some(w))) => e.parse::<f64>().ok() == Some(*w),
                _ => false,
            }))
        })
        .collect();
    Ok(Arc::new(out))
}

fn is_json_scalar(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = (0..a[0].len())
        .map(|i| {
            let Some(s) = text(&a[0], i) else { return Ok(None) };
            let v = whole(s).ok_or_else(|| fail(name, "Invalid JSON value"))?;
            Ok(Some(!matches!(v.as_bytes()[0], b'{' | b'[')))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(BooleanArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_trinos_subset() {
        assert_eq!(
            parse_path("$.a[0][\"b c\"]").unwrap(),
            vec![Step::Key("a".into()), Step::Index(0), Step::Key("b c".into())]
        );
        assert!(parse_path("a.b").is_err());
        assert!(parse_path("$.a.*").is_err());
        assert!(parse_path("$[x]").is_err());
    }

    #[test]
    fn values_are_found_by_scanning() {
        let doc = r#" {"a": {"b": [1, {"c": "x\"y"}]}, "n": 1.50, "t": true} "#;
        let d = whole(doc).unwrap();
        assert_eq!(find(d, &parse_path("$.a.b[1].c").unwrap()), Some(r#""x\"y""#));
        assert_eq!(find(d, &parse_path("$.a.b[2]").unwrap()), None);
        assert_eq!(canonical_of(find(d, &parse_path("$.a").unwrap()).unwrap()), r#"{"b":[1,{"c":"x\"y"}]}"#);
        assert_eq!(canonical_of("1.50"), "1.5");
        assert_eq!(canonical_of("1e20"), "1.0E20");
        assert!(whole("{\"a\": }").is_none());
        assert!(whole(&"[".repeat(10_000)).is_none());
    }
}

/// A cast of a [`JSON`] value, and `CAST(text AS ARRAY(t))` / `MAP(varchar, t)`: JSON text read
/// into Trino's types (Trino has no other cast from text to an array or a map).
/// Elements: strings, numbers and booleans as Trino converts them; anything else fails the cast.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct JsonCast {
    target: DataType,
    /// `TRY_CAST`: a value that does not convert is NULL.
    lenient: bool,
    signature: datafusion::logical_expr::Signature,
}

impl JsonCast {
    pub fn udf(target: DataType, lenient: bool) -> datafusion::logical_expr::ScalarUDF {
        datafusion::logical_expr::ScalarUDF::new_from_impl(JsonCast {
            target,
            lenient,
            signature: datafusion::logical_expr::Signature::any(
                1,
                datafusion::logical_expr::Volatility::Immutable,
            ),
        })
    }
}

/// One JSON value as a scalar of type `t`, as Trino's cast from JSON gives it.
fn json_scalar(
    v: &serde_json::Value,
    t: &DataType,
) -> std::result::Result<datafusion::common::ScalarValue, String> {
    use datafusion::common::ScalarValue as S;
    use serde_json::Value as J;
    let bad = || format!("Cannot cast {v} to {}", super::convert::athena_type(t));
    if matches!(t, DataType::Utf8View | DataType::LargeUtf8) {
        return json_scalar(v, &DataType::Utf8)?.cast_to(t).map_err(|e| e.to_string());
    }
    Ok(match (v, t) {
        (J::Null, t) => S::try_from(t).map_err(|e| e.to_string())?,
        (J::String(s), DataType::Utf8) => S::Utf8(Some(s.clone())),
        // Trino writes a fraction as a double does (`1.5E0`), a form this engine refuses for doubles.
        (J::Number(n), DataType::Utf8) if !(n.is_i64() || n.is_u64()) => {
            return Err(format!(
                "a JSON fraction ({n}) cast to varchar is not supported on the embedded engine (Athena \
                 writes it as a double, 1.5E0): use json_extract_scalar or json_format"
            ));
        }
        (J::Number(n), DataType::Utf8) => S::Utf8(Some(n.to_string())),
        (J::Bool(b), DataType::Utf8) => S::Utf8(Some(b.to_string())),
        (J::Number(n), t) if t.is_integer() => {
            S::Int64(Some(n.as_i64().ok_or_else(bad)?)).cast_to(t).map_err(|_| bad())?
        }
        (J::String(s), t) if t.is_integer() => {
            S::Int64(Some(s.trim().parse().map_err(|_| bad())?)).cast_to(t).map_err(|_| bad())?
        }
        (J::Bool(b), t) if t.is_integer() => S::Int64(Some(i64::from(*b))).cast_to(t).map_err(|_| bad())?,
        (J::Number(n), DataType::Float64) => S::Float64(Some(n.as_f64().ok_or_else(bad)?)),
        (J::Number(n), DataType::Float32) => S::Float32(Some(n.as_f64().ok_or_else(bad)? as f32)),
        (J::String(s), DataType::Float64) => S::Float64(Some(s.trim().parse().map_err(|_| bad())?)),
        (J::Bool(b), DataType::Boolean) => S::Boolean(Some(*b)),
        (J::String(s), DataType::Boolean) => S::Boolean(Some(s.parse().map_err(|_| bad())?)),
        (J::Array(items), DataType::List(f)) => {
            let values = items
                .iter()
                .map(|i| json_scalar(i, f.data_type()))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let a = super::fun::list_of(f.data_type(), vec![Some(values)]).map_err(|e| e.to_string())?;
            S::try_from_array(&a, 0).map_err(|e| e.to_string())?
        }
        (J::Object(m), t @ DataType::Map(..)) => {
            let (kt, vt) = super::fun::map_types(t).ok_or_else(bad)?;
            if !is_text(&kt) {
                return Err(bad());
            }
            let entries = m
                .iter()
                .map(|(k, v)| Ok((json_scalar(&J::String(k.clone()), &kt)?, json_scalar(v, &vt)?)))
                .collect::<std::result::Result<Vec<_>, String>>()?;
            let a = super::fun::map_of(&kt, &vt, vec![Some(entries)]).map_err(|e| e.to_string())?;
            S::try_from_array(&a, 0).map_err(|e| e.to_string())?
        }
        _ => return Err(bad()),
    })
}

impl datafusion::logical_expr::ScalarUDFImpl for JsonCast {
    fn name(&self) -> &str {
        "json_cast"
    }

    fn signature(&self) -> &datafusion::logical_expr::Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<datafusion::logical_expr::ColumnarValue> {
        use datafusion::logical_expr::ColumnarValue;
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = ColumnarValue::values_to_arrays(&args.args)?;
        let values = (0..a[0].len())
            .map(|i| match text(&a[0], i) {
                None => datafusion::common::ScalarValue::try_from(&self.target),
                Some(s) => {
                    let v = serde_json::from_str::<serde_json::Value>(s)
                        .map_err(|_| format!("Cannot cast '{s}' to JSON"))
                        .and_then(|v| json_scalar(&v, &self.target));
                    match (v, self.lenient) {
                        (Ok(v), _) => Ok(v),
                        (Err(_), true) => datafusion::common::ScalarValue::try_from(&self.target),
                        (Err(e), false) => Err(fail("CAST", e)),
                    }
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let out = datafusion::common::ScalarValue::iter_to_array(values)?;
        super::fun::answer(out, scalar)
    }
}
