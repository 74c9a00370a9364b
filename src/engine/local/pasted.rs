//! The Trino functions people paste into investigations that DataFusion lacks or answers
//! differently: `format_number`, `bitwise_*`, `url_extract_*`, `width_bucket`, `truncate`,
//! `typeof`, `format`; the aggregates `max_by`/`min_by` (and their `n` forms), `arbitrary`,
//! `every`, `histogram`, `map_agg`, `approx_most_frequent`; and the statement rewrites for
//! `if(…)`, `try(CAST …)` and `JSON '…'`. `FUNCTIONS` lists them for the README. It must not know
//! about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::fun::{Fun, fail, ints, is_int, is_text, list_type, map_type, text, wrong};

/// Every function this module adds, with what it does, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("if", "`if(condition, a[, b])`: a when the condition holds, else b (or NULL)"),
    ("try", "`try(CAST(x AS type))`: NULL where the cast fails (only around a CAST here)"),
    ("concat", "strings, NULL if any is NULL (as `||`); or arrays, one after another"),
    ("greatest", "the largest argument; NULL if any is NULL"),
    ("least", "the smallest argument; NULL if any is NULL"),
    ("ceil", "the smallest whole number not below x (a bigint stays a bigint)"),
    ("ceiling", "the same as `ceil`"),
    ("floor", "the largest whole number not above x (a bigint stays a bigint)"),
    ("substr", "`substr(s, start[, length])`: from 1; a negative start counts from the end; 0 gives ''"),
    ("substring", "the same as `substr`, also as `SUBSTRING(s FROM start FOR length)`"),
    ("split_part", "`split_part(s, delimiter, n)`: the n-th field from 1, NULL past the last"),
    (
        "regexp_replace",
        "`regexp_replace(s, pattern[, replacement])`: every match replaced (`$1` for a group) or removed",
    ),
    (
        "format",
        "`format('%s: %.2f', a, b)`: Java's `%s`, `%d`, `%x`, `%f` and `%%` with widths and precision",
    ),
    ("format_number", "`format_number(1234567)`: `1.23M`, with K, M, B, T and Q"),
    ("human_readable_seconds", "`human_readable_seconds(96)`: `1 minute, 36 seconds`"),
    ("bitwise_and", "`bitwise_and(tcp_flags, 2) > 0`: SYN set"),
    ("bitwise_or", "`bitwise_or(x, y)`"),
    ("bitwise_xor", "`bitwise_xor(x, y)`"),
    ("bitwise_not", "`bitwise_not(x)`"),
    ("bitwise_left_shift", "`bitwise_left_shift(x, n)`"),
    ("bitwise_right_shift", "`bitwise_right_shift(x, n)`, filling with zeros"),
    ("bitwise_right_shift_arithmetic", "`bitwise_right_shift_arithmetic(x, n)`, keeping the sign"),
    ("bit_count", "`bit_count(x, 64)`: how many bits are set"),
    ("url_extract_host", "the host of a URL (NULL when it is not a URL)"),
    ("url_extract_path", "its path"),
    ("url_extract_protocol", "its scheme"),
    ("url_extract_port", "its port, as a bigint"),
    ("url_extract_query", "its query, undecoded"),
    ("url_extract_fragment", "its fragment"),
    ("url_extract_parameter", "`url_extract_parameter(url, name)`: the first value of a query parameter"),
    ("url_decode", "`%xx` escapes and `+` decoded"),
    ("url_encode", "the reverse of `url_decode`"),
    (
        "width_bucket",
        "`width_bucket(x, low, high, n)`: which of n equal buckets x falls in (0 below, n+1 above)",
    ),
    ("truncate", "`truncate(x[, n])`: a double with its digits after the n-th decimal (default 0) dropped"),
    ("typeof", "the Athena type of an expression over columns (`bigint`, `array(varchar)`)"),
    ("max_by", "`max_by(x, y)`: x where y is largest; `max_by(x, y, n)`: the n largest, as an array"),
    ("min_by", "`min_by(x, y)` and `min_by(x, y, n)`: the same for the smallest"),
    ("arbitrary", "some non-NULL value of the group"),
    ("any_value", "the same as `arbitrary`"),
    ("every", "whether the condition holds for every row (`bool_and`)"),
    ("histogram", "a map of each value to how many rows have it"),
    ("map_agg", "`map_agg(key, value)`: the group's pairs as a map"),
    (
        "approx_most_frequent",
        "`approx_most_frequent(k, x, capacity)`: the k most frequent values, counted exactly here",
    ),
];

/// Registers the functions on a session.
pub fn register(ctx: &SessionContext) -> Result<()> {
    for f in [
        Fun::udf("format_number", &[1], format_number_type, format_number),
        Fun::udf("human_readable_seconds", &[1], format_number_type, human_readable_seconds),
        Fun::udf("bitwise_and", &[2], two_ints, |n, a, _| bitwise(n, a, |x, y| Some(x & y))),
        Fun::udf("bitwise_or", &[2], two_ints, |n, a, _| bitwise(n, a, |x, y| Some(x | y))),
        Fun::udf("bitwise_xor", &[2], two_ints, |n, a, _| bitwise(n, a, |x, y| Some(x ^ y))),
        Fun::udf("bitwise_not", &[1], one_int, |n, a, _| {
            let x = ints(n, &a[0])?;
            Ok(Arc::new(x.iter().map(|v| v.map(|v| !v)).collect::<Int64Array>()))
        }),
        Fun::udf("bitwise_left_shift", &[2], two_ints, |n, a, _| {
            bitwise(n, a, |x, s| Some(if (0..64).contains(&s) { x.wrapping_shl(s as u32) } else { 0 }))
        }),
        Fun::udf("bitwise_right_shift", &[2], two_ints, |n, a, _| {
            bitwise(n, a, |x, s| Some(if (0..64).contains(&s) { ((x as u64) >> s) as i64 } else { 0 }))
        }),
        Fun::udf("bitwise_right_shift_arithmetic", &[2], two_ints, |n, a, _| {
            bitwise(n, a, |x, s| {
                Some(if (0..64).contains(&s) {
                    x >> s
                } else if x < 0 {
                    -1
                } else {
                    0
                })
            })
        }),
        Fun::udf("bit_count", &[2], two_ints, bit_count),
        Fun::udf("url_extract_host", &[1], url_type, |n, a, _| {
            url_part(n, a, |u| u.host.map(str::to_string))
        }),
        Fun::udf("url_extract_path", &[1], url_type, |n, a, _| url_part(n, a, |u| Some(u.path.to_string()))),
        Fun::udf("url_extract_protocol", &[1], url_type, |n, a, _| {
            url_part(n, a, |u| u.scheme.map(str::to_string))
        }),
        Fun::udf("url_extract_query", &[1], url_type, |n, a, _| {
            url_part(n, a, |u| u.query.map(str::to_string))
        }),
        Fun::udf("url_extract_fragment", &[1], url_type, |n, a, _| {
            url_part(n, a, |u| u.fragment.map(str::to_string))
        }),
        Fun::udf("url_extract_port", &[1], |n, a| url_type(n, a).map(|_| DataType::Int64), url_port),
        Fun::udf("url_extract_parameter", &[2], url_type, url_parameter),
        Fun::udf("url_decode", &[1], url_type, url_decode),
        Fun::udf("url_encode", &[1], url_type, url_encode),
        Fun::udf("width_bucket", &[4], width_bucket_type, width_bucket),
        Fun::udf("truncate", &[1, 2], truncate_type, truncate),
        Fun::udf("format", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], format_type, format),
    ] {
        ctx.register_udf(f);
    }
    ctx.register_udf(datafusion::logical_expr::ScalarUDF::new_from_impl(TypeOf::default()));
    for (name, kind) in [("max_by", By::Max), ("min_by", By::Min)] {
        ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new(name, Collected::By(kind), &[2, 3])));
    }
    ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new("arbitrary", Collected::Arbitrary, &[1])));
    ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new("any_value", Collected::Arbitrary, &[1])));
    ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new("histogram", Collected::Histogram, &[1])));
    ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new("map_agg", Collected::MapAgg, &[2])));
    ctx.register_udaf(AggregateUDF::new_from_impl(Collect::new(
        "approx_most_frequent",
        Collected::MostFrequent,
        &[3],
    )));
    for f in [
        Fun::udf("regexp_replace", &[2, 3], regexp_replace_type, regexp_replace),
        Fun::udf("split_part", &[3], split_part_type, split_part),
        Fun::udf("substring", &[2, 3], substr_type, substr),
    ] {
        ctx.register_udf(f);
    }
    // DataFusion's own, with Trino's NULL rule (any NULL argument gives NULL) or its types (the
    // ceiling of a whole number is that number, not a double).
    for (theirs, name, mode) in [
        ("concat", "concat", Wrap::NullIfAnyNull),
        ("greatest", "greatest", Wrap::NullIfAnyNull),
        ("least", "least", Wrap::NullIfAnyNull),
        ("ceil", "ceil", Wrap::WholeStaysWhole),
        ("ceil", "ceiling", Wrap::WholeStaysWhole),
        ("floor", "floor", Wrap::WholeStaysWhole),
    ] {
        let inner = ctx.udf(theirs)?;
        let signature = Signature::user_defined(inner.signature().volatility);
        ctx.register_udf(datafusion::logical_expr::ScalarUDF::new_from_impl(Wrapped {
            name,
            inner,
            mode,
            signature,
        }));
    }
    ctx.register_udf(substr_udf().as_ref().clone());
    let every = ctx.udaf("bool_and")?;
    ctx.register_udaf(every.as_ref().clone().with_aliases(["every"]));
    Ok(())
}

fn two_ints(name: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_int) {
        true => Ok(DataType::Int64),
        false => Err(wrong(name, "two whole numbers", args)),
    }
}

fn one_int(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_int(&args[0]) {
        true => Ok(DataType::Int64),
        false => Err(wrong(name, "a whole number", args)),
    }
}

fn bitwise(name: &str, a: &[ArrayRef], f: fn(i64, i64) -> Option<i64>) -> Result<ArrayRef> {
    let (x, y) = (ints(name, &a[0])?, ints(name, &a[1])?);
    Ok(Arc::new(x.iter().zip(y.iter()).map(|(x, y)| f(x?, y?)).collect::<Int64Array>()))
}

fn bit_count(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (x, bits) = (ints(name, &a[0])?, ints(name, &a[1])?);
    let out = x
        .iter()
        .zip(bits.iter())
        .map(|(x, bits)| {
            let (Some(x), Some(bits)) = (x, bits) else { return Ok(None) };
            if !(2..=64).contains(&bits) {
                return Err(fail(name, "bits specified in bit_count must be between 2 and 64"));
            }
            let low = if bits == 64 { x } else { x & ((1i64 << bits) - 1) };
            if bits < 64 && (x >= 1i64 << (bits - 1) || x < -(1i64 << (bits - 1))) {
                return Err(fail(name, format!("number must be representable with the bits specified. {x} cannot be represented with {bits} bits")));
            }
            Ok(Some(i64::from(low.count_ones() as u8)))
        })
        .collect::<Result<Int64Array>>()?;
    Ok(Arc::new(out))
}

fn format_number_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_int(&args[0]) || args[0].is_floating() {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "a number", args)),
    }
}

/// `x` rounded half up to `places` decimals, without trailing zeros (Java's `#.##` patterns).
fn half_up(x: f64, places: usize) -> String {
    // The exact decimal expansion, far enough to see the rounding digit.
    let exact = format!("{:.40}", x.abs());
    let (int, frac) = exact.split_once('.').unwrap_or((&exact, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(places)).map(|d| d - b'0').collect();
    if frac.as_bytes().get(places).is_some_and(|d| *d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - places;
    let int: String = digits[..split].iter().map(|d| char::from(b'0' + d)).collect();
    let frac: String = digits[split..].iter().map(|d| char::from(b'0' + d)).collect();
    let frac = frac.trim_end_matches('0');
    let body = if frac.is_empty() { int } else { format!("{int}.{frac}") };
    if x < 0.0 && body.bytes().any(|b| b != b'0' && b != b'.') { format!("-{body}") } else { body }
}

fn format_number(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    // A double is cut to a whole number first, as Trino does.
    let values: Vec<Option<i64>> = if a[0].data_type().is_floating() {
        let f = datafusion::arrow::compute::kernels::cast::cast(&a[0], &DataType::Float64)?;
        f.as_primitive::<datafusion::arrow::datatypes::Float64Type>()
            .iter()
            .map(|v| v.map(|v| v as i64))
            .collect()
    } else {
        ints(name, &a[0])?.iter().collect()
    };
    let out: StringArray = values
        .into_iter()
        .map(|v| {
            let mut x = v? as f64;
            let mut unit = "";
            for u in ["K", "M", "B", "T", "Q"] {
                if x >= 1000.0 || x <= -1000.0 {
                    x /= 1000.0;
                    unit = u;
                }
            }
            let places = if x < 10.0 {
                2
            } else if x < 100.0 {
                1
            } else {
                0
            };
            Some(format!("{}{unit}", half_up(x, places)))
        })
        .collect();
    Ok(Arc::new(out))
}

/// A duration as Trino words it: weeks, days, hours, minutes and seconds that are not zero, the
/// seconds rounded (half up) and the sign dropped; `0 seconds` for none.
fn duration_words(x: f64) -> String {
    let mut s = (x.abs() + 0.5).floor() as i64;
    let mut parts = Vec::new();
    for (unit, len) in [("week", 604_800), ("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)] {
        let n = s / len;
        s %= len;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() { "0 seconds".into() } else { parts.join(", ") }
}

fn human_readable_seconds(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let x = doubles(&a[0])?;
    let out = x
        .iter()
        .map(|v| match v {
            Some(v) if !v.is_finite() => {
                let java = if v.is_nan() {
                    "NaN"
                } else if v > 0.0 {
                    "Infinity"
                } else {
                    "-Infinity"
                };
                Err(fail(name, format!("Invalid argument found: {java}")))
            }
            Some(v) => Ok(Some(duration_words(v))),
            None => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(StringArray::from(out)))
}

fn url_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_text) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "text", args)),
    }
}

/// A URL's parts as `java.net.URI` reads them (raw, not decoded).
#[derive(Debug, Default, PartialEq)]
struct Url<'a> {
    scheme: Option<&'a str>,
    host: Option<&'a str>,
    port: Option<i64>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

/// Parses a URL; `None` when it is not one (spaces and other characters URI forbids included).
fn parse_url(s: &str) -> Option<Url<'_>> {
    if s.bytes().any(|b| b <= b' ' || b"\"<>\\^`{|}".contains(&b)) {
        return None;
    }
    let mut u = Url::default();
    let (rest, fragment) = match s.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (s, None),
    };
    u.fragment = fragment;
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    u.query = query;
    let mut rest = rest;
    if let Some(colon) = rest.find(':') {
        let scheme = &rest[..colon];
        if !scheme.is_empty()
            && scheme.as_bytes()[0].is_ascii_alphabetic()
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            u.scheme = Some(scheme);
            rest = &rest[colon + 1..];
        }
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        u.path = &after[end..];
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = if hostport.starts_with('[') {
            let close = hostport.find(']')?;
            (&hostport[..=close], hostport[close + 1..].strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        u.host = (!host.is_empty()).then_some(host);
        u.port = match port {
            Some("") | None => None,
            Some(p) => Some(p.parse().ok()?),
        };
    } else {
        u.path = rest;
    }
    Some(u)
}

fn url_part(_: &str, a: &[ArrayRef], f: fn(&Url) -> Option<String>) -> Result<ArrayRef> {
    let out: StringArray = (0..a[0].len()).map(|i| parse_url(text(&a[0], i)?).as_ref().and_then(f)).collect();
    Ok(Arc::new(out))
}

fn url_port(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out: Int64Array = (0..a[0].len()).map(|i| parse_url(text(&a[0], i)?)?.port).collect();
    Ok(Arc::new(out))
}

fn url_parameter(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out: StringArray = (0..a[0].len())
        .map(|i| {
            let (url, name) = (text(&a[0], i)?, text(&a[1], i)?);
            let query = parse_url(url)?.query?;
            query.split('&').find_map(|pair| match pair.split_once('=') {
                Some((k, v)) if k == name => Some(v.to_string()),
                None if pair == name => Some(String::new()),
                _ => None,
            })
        })
        .collect();
    Ok(Arc::new(out))
}

fn url_decode(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out = (0..a[0].len())
        .map(|i| {
            let Some(s) = text(&a[0], i) else { return Ok(None) };
            let b = s.as_bytes();
            let mut out = Vec::with_capacity(b.len());
            let mut j = 0;
            while j < b.len() {
                match b[j] {
                    b'+' => out.push(b' '),
                    b'%' => {
                        let hex = s.get(j + 1..j + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                        out.push(hex.ok_or_else(|| {
                            fail(
                                name,
                                format!("URLDecoder: Illegal hex characters in escape (%) pattern: {s}"),
                            )
                        })?);
                        j += 2;
                    }
                    c => out.push(c),
                }
                j += 1;
            }
            Ok(Some(String::from_utf8_lossy(&out).into_owned()))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(StringArray::from(out)))
}

fn url_encode(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let out: StringArray = (0..a[0].len())
        .map(|i| {
            let s = text(&a[0], i)?;
            let mut out = String::with_capacity(s.len());
            for b in s.bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                        out.push(char::from(b))
                    }
                    b' ' => out.push('+'),
                    b => out.push_str(&format!("%{b:02X}")),
                }
            }
            Some(out)
        })
        .collect();
    Ok(Arc::new(out))
}

fn numeric(t: &DataType) -> bool {
    is_int(t) || t.is_floating() || matches!(t, DataType::Decimal128(..))
}

fn width_bucket_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match args[..3].iter().all(numeric) && is_int(&args[3]) {
        true => Ok(DataType::Int64),
        false => Err(wrong(name, "a number, two bounds and a bucket count", args)),
    }
}

fn doubles(a: &ArrayRef) -> Result<Float64Array> {
    let f = datafusion::arrow::compute::kernels::cast::cast(a, &DataType::Float64)?;
    Ok(f.as_primitive::<datafusion::arrow::datatypes::Float64Type>().clone())
}

fn width_bucket(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (x, lo, hi, n) = (doubles(&a[0])?, doubles(&a[1])?, doubles(&a[2])?, ints(name, &a[3])?);
    let out = (0..x.len())
        .map(|i| {
            if x.is_null(i) || lo.is_null(i) || hi.is_null(i) || n.is_null(i) {
                return Ok(None);
            }
            let (x, lo, hi, n) = (x.value(i), lo.value(i), hi.value(i), n.value(i));
            if n <= 0 {
                return Err(fail(name, "bucketCount must be greater than 0"));
            }
            if x.is_nan() {
                return Err(fail(name, "operand must not be NaN"));
            }
            if !lo.is_finite() || !hi.is_finite() {
                return Err(fail(name, "first bound must be finite"));
            }
            if lo == hi {
                return Err(fail(name, "bounds cannot equal each other"));
            }
            let (lower, upper) = (lo.min(hi), lo.max(hi));
            let bucket = if x < lower {
                if lo < hi { 0 } else { n + 1 }
            } else if x >= upper {
                if lo < hi { n + 1 } else { 0 }
            } else {
                let k = ((n as f64) * (x - lo) / (hi - lo)) as i64 + 1;
                k.clamp(1, n)
            };
            Ok(Some(bucket))
        })
        .collect::<Result<Int64Array>>()?;
    Ok(Arc::new(out))
}

fn truncate_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match args[0].is_floating() && args.get(1).is_none_or(is_int) {
        true => Ok(DataType::Float64),
        false if is_int(&args[0]) || matches!(args[0], DataType::Decimal128(..)) => {
            Err(DataFusionError::Plan(format!(
                "truncate over {} is not supported on the embedded engine (Trino keeps its type): use it on a double",
                super::convert::athena_type(&args[0])
            )))
        }
        false => Err(wrong(name, "a double and optionally a number of decimals", args)),
    }
}

fn truncate(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let x = doubles(&a[0])?;
    let places = a.get(1).map(|p| ints(name, p)).transpose()?;
    let out: Float64Array = (0..x.len())
        .map(|i| {
            let v = (!x.is_null(i)).then(|| x.value(i))?;
            let n = match &places {
                Some(p) => (!p.is_null(i)).then(|| p.value(i))?,
                None => 0,
            };
            let scale = 10f64.powi(n.clamp(-300, 300) as i32);
            Some((v * scale).trunc() / scale)
        })
        .collect();
    Ok(Arc::new(out))
}

fn format_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_text(&args[0]) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "a format text and the values for it", args)),
    }
}

/// One value for `format`, as Java formats it for a conversion.
fn format_one(name: &str, spec: &Spec, v: &ScalarValue) -> Result<String> {
    let body = match (spec.conversion, v) {
        (_, v) if v.is_null() && spec.conversion == 's' => "null".to_string(),
        (
            's',
            ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)),
        ) => s.clone(),
        ('s', ScalarValue::Boolean(Some(b))) => b.to_string(),
        ('s', v) if v.data_type().is_integer() => v.to_string(),
        ('d', v) if v.data_type().is_integer() => {
            let n = v.cast_to(&DataType::Int64)?;
            let ScalarValue::Int64(Some(n)) = n else { return Ok("null".into()) };
            if spec.grouping { group(&n.to_string()) } else { n.to_string() }
        }
        ('x' | 'X', v) if v.data_type().is_integer() => {
            let ScalarValue::Int64(Some(n)) = v.cast_to(&DataType::Int64)? else { return Ok("null".into()) };
            let s = format!("{:x}", n);
            if spec.conversion == 'X' { s.to_uppercase() } else { s }
        }
        ('f', v) if v.data_type().is_floating() => {
            let ScalarValue::Float64(Some(x)) = v.cast_to(&DataType::Float64)? else {
                return Ok("null".into());
            };
            let s = half_up_fixed(x, spec.precision.unwrap_or(6));
            if spec.grouping { group(&s) } else { s }
        }
        (c, v) => {
            return Err(DataFusionError::Plan(format!(
                "{name}: `%{c}` of a {} is not supported on the embedded engine (Java's formatting is not reproduced for it)",
                super::convert::athena_type(&v.data_type())
            )));
        }
    };
    let width = spec.width.unwrap_or(0);
    let len = body.chars().count();
    Ok(if len >= width {
        body
    } else if spec.left {
        format!("{body}{}", " ".repeat(width - len))
    } else if spec.zero && spec.conversion != 's' {
        let (sign, digits) = body.strip_prefix('-').map_or(("", body.as_str()), |d| ("-", d));
        format!("{sign}{}{digits}", "0".repeat(width - len))
    } else {
        format!("{}{body}", " ".repeat(width - len))
    })
}

/// `x` with `places` decimals, rounded half up as Java's Formatter does.
fn half_up_fixed(x: f64, places: usize) -> String {
    let s = half_up(x, places);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if places == 0 { int.to_string() } else { format!("{int}.{frac:0<places$}") }
}

/// Thousands separators in the whole part of a number.
fn group(n: &str) -> String {
    let (sign, rest) = n.strip_prefix('-').map_or(("", n), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[derive(Debug, Default)]
struct Spec {
    left: bool,
    zero: bool,
    grouping: bool,
    width: Option<usize>,
    precision: Option<usize>,
    conversion: char,
}

/// A format text's literal pieces and specifiers.
fn parse_format(name: &str, f: &str) -> Result<Vec<std::result::Result<String, Spec>>> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.left = true,
                '0' => spec.zero = true,
                ',' => spec.grouping = true,
                _ => break,
            }
            chars.next();
        }
        let mut digits = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(d);
            chars.next();
        }
        spec.width = digits.parse().ok();
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            spec.precision = Some(p.parse().map_err(|_| fail(name, format!("bad precision in `{f}`")))?);
        }
        match chars.next() {
            Some('%') => lit.push('%'),
            Some('n') => lit.push('\n'),
            Some(c @ ('s' | 'd' | 'x' | 'X' | 'f')) => {
                spec.conversion = c;
                out.push(Ok(std::mem::take(&mut lit)));
                out.push(Err(spec));
            }
            Some(c) => {
                return Err(DataFusionError::Plan(format!(
                    "{name}: the conversion `%{c}` is not supported on the embedded engine; it takes %s, %d, %x, %f and %%"
                )));
            }
            None => return Err(fail(name, "the format ends inside a specifier")),
        }
    }
    out.push(Ok(lit));
    Ok(out)
}

fn format(name: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let values: Vec<Vec<ScalarValue>> =
        a[1..].iter().map(|c| super::fun::scalars(c, c.data_type())).collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..a[0].len() {
        let Some(f) = text(&a[0], i) else {
            out.push(None);
            continue;
        };
        let mut s = String::new();
        let mut next = 0;
        for piece in parse_format(name, f)? {
            match piece {
                Ok(lit) => s.push_str(&lit),
                Err(spec) => {
                    let v = values.get(next).ok_or_else(|| {
                        fail(name, format!("Format specifier '%{}' has no value", spec.conversion))
                    })?;
                    s.push_str(&format_one(name, &spec, &v[i])?);
                    next += 1;
                }
            }
        }
        out.push(Some(s));
    }
    Ok(Arc::new(StringArray::from(out)))
}

/// `typeof(x)`: the Athena name of x's type. A literal's type differs between the engines
/// (Trino: `varchar(3)`, `integer`): refused.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TypeOf {
    signature: Signature,
}

impl Default for TypeOf {
    fn default() -> Self {
        TypeOf { signature: Signature::any(1, Volatility::Immutable) }
    }
}

impl datafusion::logical_expr::ScalarUDFImpl for TypeOf {
    fn name(&self) -> &str {
        "typeof"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<FieldRef> {
        if args.scalar_arguments.first().is_some_and(|a| a.is_some()) {
            return Err(DataFusionError::Plan(
                "typeof of a literal is not supported on the embedded engine (Trino types literals \
                 as varchar(n) and integer, which it does not reproduce): use it on a column or an expression"
                    .into(),
            ));
        }
        Ok(Arc::new(Field::new("typeof", DataType::Utf8, true)))
    }

    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<datafusion::logical_expr::ColumnarValue> {
        let t = super::convert::athena_type(args.arg_fields[0].data_type());
        Ok(datafusion::logical_expr::ColumnarValue::Scalar(ScalarValue::Utf8(Some(t))))
    }
}

/// Rewrites what Trino writes as syntax DataFusion reads otherwise: `if(c, a[, b])` as a CASE
/// (evaluated lazily, as Trino's is), `try(CAST(x AS t))` as `TRY_CAST`, and `JSON '…'` as
/// `json_parse('…')`. `try` around anything else is refused: DataFusion cannot turn an error
/// into NULL, and guessing would answer differently.
pub fn rewrite(statement: &mut datafusion::sql::parser::Statement) -> Result<()> {
    use datafusion::sql::sqlparser::ast::{
        self as ast, CastKind, DataType as Sql, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    };
    let Some(statement) = super::fun::sql_mut(statement) else { return Ok(()) };
    let mut refused = None;
    let _ = ast::visit_expressions_mut(statement, |e| {
        let replacement = match e {
            Expr::Function(f) if f.over.is_none() && f.filter.is_none() => {
                // `x -> body` and `(x, y) -> body` as arguments: lambdas (the parser reads them as
                // the JSON arrow operator, which Trino does not have).
                if let FunctionArguments::List(l) = &mut f.args {
                    for a in &mut l.args {
                        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = a
                            && let Some(lambda) = lambda_of(arg)
                        {
                            *arg = lambda;
                        }
                    }
                }
                let name = f.name.to_string().to_ascii_lowercase();
                let args: Vec<Expr> = match &f.args {
                    FunctionArguments::List(l) => l
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => vec![],
                };
                match (name.as_str(), args.as_slice()) {
                    ("if", [c, a, rest @ ..]) if rest.len() <= 1 => Some(Expr::Case {
                        case_token: ast::helpers::attached_token::AttachedToken::empty(),
                        end_token: ast::helpers::attached_token::AttachedToken::empty(),
                        operand: None,
                        conditions: vec![ast::CaseWhen { condition: c.clone(), result: a.clone() }],
                        else_result: rest.first().map(|b| Box::new(b.clone())),
                    }),
                    (
                        "try",
                        [
                            Expr::Cast {
                                kind: CastKind::Cast | CastKind::DoubleColon,
                                expr,
                                data_type,
                                format,
                                ..
                            },
                        ],
                    ) => Some(Expr::Cast {
                        kind: CastKind::TryCast,
                        expr: expr.clone(),
                        data_type: data_type.clone(),
                        format: format.clone(),
                        array: false,
                    }),
                    ("try", [Expr::Cast { kind: CastKind::TryCast | CastKind::SafeCast, .. }]) => {
                        Some(args[0].clone())
                    }
                    ("try", _) => {
                        refused.get_or_insert(
                            "`try(…)` around anything but a CAST is not supported on the embedded engine: \
                             it cannot turn an error into NULL as Trino does; use TRY_CAST, or NULLIF for a \
                             division by zero",
                        );
                        None
                    }
                    _ => None,
                }
            }
            // CAST(ROW(a, b) AS ROW(x t, y u)): the fields named and cast one by one (Arrow casts
            // rows only between the same names).
            Expr::Cast { kind, expr, data_type: Sql::Custom(ty, words), .. }
                if ty.to_string().eq_ignore_ascii_case("row") && words.len() % 2 == 0 =>
            {
                let values: Option<Vec<Expr>> = match expr.as_ref() {
                    Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("row") => match &f.args {
                        FunctionArguments::List(l) => l
                            .args
                            .iter()
                            .map(|a| match a {
                                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                                _ => None,
                            })
                            .collect(),
                        _ => None,
                    },
                    Expr::Tuple(items) => Some(items.clone()),
                    _ => None,
                };
                match values {
                    Some(values) if values.len() * 2 == words.len() => {
                        let mut args = Vec::new();
                        for (v, pair) in values.into_iter().zip(words.chunks(2)) {
                            let Ok(t) = datafusion::sql::sqlparser::parser::Parser::new(
                                &datafusion::sql::sqlparser::dialect::GenericDialect {},
                            )
                            .try_with_sql(&pair[1])
                            .and_then(|mut p| p.parse_data_type()) else {
                                return std::ops::ControlFlow::Continue(());
                            };
                            args.push(Expr::Value(
                                ast::Value::SingleQuotedString(pair[0].to_ascii_lowercase()).into(),
                            ));
                            args.push(Expr::Cast {
                                kind: kind.clone(),
                                expr: Box::new(v),
                                data_type: t,
                                format: None,
                                array: false,
                            });
                        }
                        Some(super::fun::sql_call("named_struct", args))
                    }
                    _ => None,
                }
            }
            Expr::TypedString(ts) if matches!(ts.data_type, Sql::JSON) => {
                Some(super::fun::sql_call("json_parse", vec![Expr::Value(ts.value.clone())]))
            }
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    match refused {
        Some(why) => Err(DataFusionError::Plan(why.into())),
        None => Ok(()),
    }
}

/// `x -> body` (or `(x, y) -> body`) as the lambda it is in Trino.
fn lambda_of(e: &datafusion::sql::sqlparser::ast::Expr) -> Option<datafusion::sql::sqlparser::ast::Expr> {
    use datafusion::sql::sqlparser::ast::{
        BinaryOperator, Expr, LambdaFunction, LambdaFunctionParameter, LambdaSyntax, OneOrManyWithParens,
    };
    let Expr::BinaryOp { left, op: BinaryOperator::Arrow, right } = e else { return None };
    let param = |e: &Expr| match e {
        Expr::Identifier(name) => Some(LambdaFunctionParameter { name: name.clone(), data_type: None }),
        _ => None,
    };
    let params = match left.as_ref() {
        Expr::Nested(inner) => OneOrManyWithParens::Many(vec![param(inner)?]),
        Expr::Tuple(items) => OneOrManyWithParens::Many(items.iter().map(param).collect::<Option<_>>()?),
        one => OneOrManyWithParens::One(param(one)?),
    };
    Some(Expr::Lambda(LambdaFunction { params, body: right.clone(), syntax: LambdaSyntax::Arrow }))
}

/// How a wrapped DataFusion function is brought to Trino's semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Wrap {
    /// NULL when any argument is NULL (`concat`, `greatest`, `least` ignore NULLs in DataFusion).
    NullIfAnyNull,
    /// A whole number is its own ceiling or floor, of its own type (DataFusion gives a double).
    WholeStaysWhole,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Wrapped {
    name: &'static str,
    inner: Arc<datafusion::logical_expr::ScalarUDF>,
    mode: Wrap,
    signature: Signature,
}

/// Trino's `substr` (and `SUBSTRING(s FROM a FOR b)`, which the planner hands to it).
pub fn substr_udf() -> Arc<datafusion::logical_expr::ScalarUDF> {
    Arc::new(Fun::udf("substr", &[2, 3], substr_type, substr))
}

impl datafusion::logical_expr::ScalarUDFImpl for Wrapped {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match self.mode {
            Wrap::WholeStaysWhole if args.len() == 1 && args[0].is_integer() => Ok(args.to_vec()),
            // Arrays are concatenated here, as arrays.
            Wrap::NullIfAnyNull if self.name == "concat" && args.iter().any(|a| a.is_nested()) => {
                let t = concat_type(args)?;
                Ok(vec![t; args.len()])
            }
            _ => {
                let fields: Vec<FieldRef> =
                    args.iter().map(|t| Arc::new(Field::new("", t.clone(), true))).collect();
                let coerced = datafusion::logical_expr::type_coercion::functions::fields_with_udf(
                    &fields,
                    self.inner.as_ref(),
                )?;
                Ok(coerced.iter().map(|f| f.data_type().clone()).collect())
            }
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match self.mode {
            Wrap::WholeStaysWhole if args.len() == 1 && args[0].is_integer() => Ok(args[0].clone()),
            Wrap::NullIfAnyNull if self.name == "concat" && args.iter().any(|a| a.is_nested()) => {
                concat_type(args)
            }
            _ => self.inner.return_type(args),
        }
    }

    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<datafusion::logical_expr::ColumnarValue> {
        use datafusion::logical_expr::ColumnarValue;
        if self.mode == Wrap::WholeStaysWhole && args.args.len() == 1 && args.args[0].data_type().is_integer()
        {
            return Ok(args.args[0].clone());
        }
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let inputs = ColumnarValue::values_to_arrays(&args.args)?;
        let rows = if scalar { 1 } else { args.number_rows };
        let out = if args.return_field.data_type().is_nested() {
            concat_arrays(args.return_field.data_type(), &inputs)?
        } else {
            self.inner.invoke_with_args(args)?.into_array(rows)?
        };
        let nulls = inputs.iter().fold(out.logical_nulls(), |acc, a| {
            datafusion::arrow::buffer::NullBuffer::union(acc.as_ref(), a.logical_nulls().as_ref())
        });
        let data = out.to_data().into_builder().nulls(nulls).build()?;
        let out = datafusion::arrow::array::make_array(data);
        super::fun::answer(out, scalar)
    }
}

/// `concat` over arrays: the arrays' common type.
fn concat_type(args: &[DataType]) -> Result<DataType> {
    let mut t = DataType::Null;
    for a in args {
        let e = super::fun::element(a).ok_or_else(|| wrong("concat", "strings, or arrays", args))?;
        t = super::fun::common("concat", &t, &e)?;
    }
    Ok(list_type(t))
}

fn concat_arrays(t: &DataType, inputs: &[ArrayRef]) -> Result<ArrayRef> {
    let element = super::fun::element(t).unwrap_or(DataType::Null);
    let columns: Vec<Vec<super::fun::ListRow>> = inputs
        .iter()
        .map(|c| super::fun::lists(&datafusion::arrow::compute::kernels::cast::cast(c, t)?))
        .collect::<Result<_>>()?;
    let rows = columns.first().map_or(0, |c| c.len());
    let out = (0..rows)
        .map(|i| columns.iter().map(|c| c[i].clone()).collect::<Option<Vec<_>>>().map(|v| v.concat()))
        .collect();
    super::fun::list_of(&element, out)
}

fn regexp_replace_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_text) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "a string, a pattern and optionally a replacement", args)),
    }
}

/// A Java replacement (`$1`, `${name}`, `\$` for a dollar) in the regex crate's syntax.
fn replacement(java: &str) -> String {
    let mut out = String::with_capacity(java.len() + 4);
    let mut chars = java.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => {}
            },
            '$' if chars.peek().is_some_and(|d| d.is_ascii_digit()) => {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                out.push_str(&format!("${{{n}}}"));
            }
            c => out.push(c),
        }
    }
    out
}

/// Trino's `regexp_replace`: every match replaced (or removed), `$1` for a group.
fn regexp_replace(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let mut cache: Option<(String, regex::Regex)> = None;
    let out = (0..a[0].len())
        .map(|i| {
            let (Some(s), Some(p)) = (text(&a[0], i), text(&a[1], i)) else { return Ok(None) };
            let with = match a.get(2) {
                Some(r) => match text(r, i) {
                    Some(r) => replacement(r),
                    None => return Ok(None),
                },
                None => String::new(),
            };
            if cache.as_ref().is_none_or(|(q, _)| q != p) {
                cache = Some((p.to_string(), regex::Regex::new(p).map_err(|e| fail(name, e))?));
            }
            let re = &cache.as_ref().expect("just set").1;
            Ok(Some(re.replace_all(s, with.as_str()).into_owned()))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(StringArray::from(out)))
}

fn split_part_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_text(&args[0]) && is_text(&args[1]) && is_int(&args[2]) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "a string, a delimiter and a field number", args)),
    }
}

/// Trino's `split_part`: NULL past the last field; the field number starts at 1.
fn split_part(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let index = ints(name, &a[2])?;
    let out = (0..a[0].len())
        .map(|i| {
            let (Some(s), Some(d), false) = (text(&a[0], i), text(&a[1], i), index.is_null(i)) else {
                return Ok(None);
            };
            let n = index.value(i);
            if n <= 0 {
                return Err(fail(name, "Index must be greater than zero"));
            }
            let n = n as usize - 1;
            Ok(if d.is_empty() {
                s.chars().nth(n).map(String::from)
            } else {
                s.split(d).nth(n).map(String::from)
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(StringArray::from(out)))
}

fn substr_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_text(&args[0]) && args[1..].iter().all(is_int) {
        true => Ok(DataType::Utf8),
        false => Err(wrong(name, "a string, a start and optionally a length", args)),
    }
}

/// Trino's `substr`: from 1; a negative start counts from the end; start 0 gives ''.
fn substr(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let starts = ints(name, &a[1])?;
    let lengths = a.get(2).map(|l| ints(name, l)).transpose()?;
    let out: StringArray = (0..a[0].len())
        .map(|i| {
            let s = text(&a[0], i)?;
            let start = (!starts.is_null(i)).then(|| starts.value(i))?;
            let length = match &lengths {
                Some(l) => Some((!l.is_null(i)).then(|| l.value(i))?),
                None => None,
            };
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            if start == 0 || length.is_some_and(|l| l <= 0) {
                return Some(String::new());
            }
            let from = if start > 0 { start - 1 } else { len + start };
            if from < 0 || from >= len {
                return Some(String::new());
            }
            let to = match length {
                Some(l) => from.saturating_add(l).min(len),
                None => len,
            };
            Some(chars[from as usize..to as usize].iter().collect())
        })
        .collect();
    Ok(Arc::new(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum By {
    Max,
    Min,
}

/// What a collecting aggregate gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Collected {
    By(By),
    Arbitrary,
    Histogram,
    MapAgg,
    MostFrequent,
}

/// The aggregates that keep values as scalars: few per group in the queries they serve.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Collect {
    name: &'static str,
    kind: Collected,
    signature: Signature,
}

impl Collect {
    fn new(name: &'static str, kind: Collected, arities: &[usize]) -> Collect {
        let signature = Signature::one_of(
            arities.iter().map(|n| TypeSignature::Any(*n)).collect(),
            Volatility::Immutable,
        );
        Collect { name, kind, signature }
    }
}

impl AggregateUDFImpl for Collect {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let name = self.name;
        match self.kind {
            Collected::By(_) if args.len() == 3 && is_int(&args[2]) => Ok(list_type(args[0].clone())),
            Collected::By(_) if args.len() == 2 => Ok(args[0].clone()),
            Collected::By(_) => Err(wrong(name, "a value, a value to order by and optionally a count", args)),
            Collected::Arbitrary => Ok(args[0].clone()),
            Collected::Histogram => Ok(map_type(args[0].clone(), DataType::Int64)),
            Collected::MapAgg => Ok(map_type(args[0].clone(), args[1].clone())),
            Collected::MostFrequent if is_int(&args[0]) && is_int(&args[2]) => {
                Ok(map_type(args[1].clone(), DataType::Int64))
            }
            Collected::MostFrequent => Err(wrong(name, "a count, a value and a capacity", args)),
        }
    }

    fn accumulator(&self, acc: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let types: Vec<DataType> =
            acc.exprs.iter().map(|e| e.data_type(acc.schema)).collect::<Result<_>>()?;
        Ok(Box::new(Gathered { kind: self.kind, name: self.name, types, rows: Vec::new(), limit: None }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(args
            .input_fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Arc::new(Field::new(format!("{}_{i}", args.name), list_type(f.data_type().clone()), true))
            })
            .collect())
    }
}

/// The rows an aggregate keeps: for `max_by`, the best n; for `arbitrary`, one; for the maps,
/// every row (a histogram's groups are small: counted when it ends).
#[derive(Debug)]
struct Gathered {
    kind: Collected,
    name: &'static str,
    types: Vec<DataType>,
    rows: Vec<Vec<ScalarValue>>,
    /// `max_by(x, y, n)`'s n, once seen.
    limit: Option<usize>,
}

impl Gathered {
    fn add(&mut self, row: Vec<ScalarValue>) -> Result<()> {
        match self.kind {
            Collected::By(by) => {
                if row[1].is_null() {
                    return Ok(());
                }
                if let Some(n) = row.get(2) {
                    let ScalarValue::Int64(Some(n)) = n.cast_to(&DataType::Int64)? else { return Ok(()) };
                    if n <= 0 || n > 10_000 {
                        return Err(fail(
                            self.name,
                            format!("the count must be between 1 and 10000, not {n}"),
                        ));
                    }
                    self.limit = Some(n as usize);
                }
                self.rows.push(row);
                let keep = self.limit.unwrap_or(1);
                if self.rows.len() > keep.max(64) * 2 {
                    self.prune(by, keep);
                }
            }
            Collected::Arbitrary => {
                if self.rows.is_empty() && !row[0].is_null() {
                    self.rows.push(row);
                }
            }
            Collected::Histogram | Collected::MapAgg => {
                if !row[0].is_null() {
                    self.rows.push(row);
                }
            }
            Collected::MostFrequent => {
                if !row[1].is_null() {
                    self.rows.push(row);
                }
            }
        }
        Ok(())
    }

    /// Keeps the best `keep` rows by the ordering value (ties keep the earlier row).
    fn prune(&mut self, by: By, keep: usize) {
        self.rows.sort_by(|a, b| {
            let o = a[1].partial_cmp(&b[1]).unwrap_or(std::cmp::Ordering::Equal);
            if by == By::Max { o.reverse() } else { o }
        });
        self.rows.truncate(keep);
    }
}

impl Accumulator for Gathered {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |v| v.len());
        for i in 0..n {
            let row = values.iter().map(|c| ScalarValue::try_from_array(c, i)).collect::<Result<Vec<_>>>()?;
            self.add(row)?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let columns: Vec<Vec<super::fun::ListRow>> =
            states.iter().map(super::fun::lists).collect::<Result<_>>()?;
        let groups = columns.first().map_or(0, |c| c.len());
        for g in 0..groups {
            let Some(first) = &columns[0][g] else { continue };
            for k in 0..first.len() {
                let row: Vec<ScalarValue> = columns
                    .iter()
                    .map(|c| c[g].as_ref().map(|r| r[k].clone()).unwrap_or(ScalarValue::Null))
                    .collect();
                self.add(row)?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        if let Collected::By(by) = self.kind {
            self.prune(by, self.limit.unwrap_or(1));
        }
        (0..self.types.len())
            .map(|c| {
                let values: Vec<ScalarValue> = self.rows.iter().map(|r| r[c].clone()).collect();
                let array = super::fun::list_of(&self.types[c], vec![Some(values)])?;
                ScalarValue::try_from_array(&array, 0)
            })
            .collect()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let out: ArrayRef = match self.kind {
            Collected::By(by) => {
                self.prune(by, self.limit.unwrap_or(1));
                let xs: Vec<ScalarValue> = self.rows.iter().map(|r| r[0].clone()).collect();
                if self.limit.is_none() {
                    return match xs.into_iter().next() {
                        Some(x) => Ok(x),
                        None => ScalarValue::try_from(&self.types[0]),
                    };
                }
                let row = if xs.is_empty() { None } else { Some(xs) };
                super::fun::list_of(&self.types[0], vec![row])?
            }
            Collected::Arbitrary => {
                return match self.rows.first() {
                    Some(r) => Ok(r[0].clone()),
                    None => ScalarValue::try_from(&self.types[0]),
                };
            }
            Collected::Histogram | Collected::MostFrequent => {
                let value = if self.kind == Collected::Histogram { 0 } else { 1 };
                let mut counts: Vec<(ScalarValue, i64)> = Vec::new();
                for r in &self.rows {
                    match counts.iter_mut().find(|(v, _)| *v == r[value]) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((r[value].clone(), 1)),
                    }
                }
                if self.kind == Collected::MostFrequent {
                    let k = match self.rows.first().map(|r| r[0].cast_to(&DataType::Int64)).transpose()? {
                        Some(ScalarValue::Int64(Some(k))) if k > 0 => k as usize,
                        Some(_) => return Err(fail(self.name, "the number of buckets must be positive")),
                        None => 0,
                    };
                    counts.sort_by(|a, b| {
                        b.1.cmp(&a.1).then(a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
                    });
                    counts.truncate(k);
                }
                let row = if counts.is_empty() && self.kind == Collected::Histogram && self.rows.is_empty() {
                    None
                } else {
                    Some(counts.into_iter().map(|(v, n)| (v, ScalarValue::Int64(Some(n)))).collect())
                };
                super::fun::map_of(&self.types[value], &DataType::Int64, vec![row])?
            }
            Collected::MapAgg => {
                let mut entries: Vec<(ScalarValue, ScalarValue)> = Vec::new();
                for r in &self.rows {
                    if !entries.iter().any(|(k, _)| *k == r[0]) {
                        entries.push((r[0].clone(), r[1].clone()));
                    }
                }
                let row = if self.rows.is_empty() { None } else { Some(entries) };
                super::fun::map_of(&self.types[0], &self.types[1], vec![row])?
            }
        };
        ScalarValue::try_from_array(&out, 0)
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.rows.iter().map(|r| r.iter().map(ScalarValue::size).sum::<usize>()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_half_up_as_java_does() {
        assert_eq!(half_up(1.125, 2), "1.13");
        assert_eq!(half_up(1.005, 2), "1"); // 1.00499999999999989…
        assert_eq!(half_up(2.5, 0), "3");
        assert_eq!(half_up(1.5, 2), "1.5");
        assert_eq!(half_up(-2.5, 0), "-3");
        assert_eq!(half_up(9.999, 2), "10");
        assert_eq!(half_up_fixed(1.23456, 2), "1.23");
        assert_eq!(half_up_fixed(2.0, 3), "2.000");
        assert_eq!(group("1234567.5"), "1,234,567.5");
    }

    #[test]
    fn durations_are_worded_as_trino_words_them() {
        assert_eq!(duration_words(96.0), "1 minute, 36 seconds");
        assert_eq!(duration_words(3762.0), "1 hour, 2 minutes, 42 seconds");
        assert_eq!(duration_words(56363463.0), "93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds");
        assert_eq!(duration_words(0.4), "0 seconds");
        assert_eq!(duration_words(-61.5), "1 minute, 2 seconds");
        assert_eq!(duration_words(604800.0), "1 week");
    }

    #[test]
    fn java_replacements_become_the_regex_crates() {
        assert_eq!(replacement("$1-$2x"), "${1}-${2}x");
        assert_eq!(replacement("\\$5 \\\\"), "$$5 \\");
        assert_eq!(replacement("${name}"), "${name}");
    }

    #[test]
    fn urls_are_read_as_java_net_uri_does() {
        let u = parse_url("https://user@example.com:8443/a/b?x=1&y=2#frag").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.port, u.path, u.query, u.fragment),
            (Some("https"), Some("example.com"), Some(8443), "/a/b", Some("x=1&y=2"), Some("frag"))
        );
        assert!(parse_url("http://a b.com/").is_none());
        assert_eq!(parse_url("/just/a/path").unwrap().host, None);
    }
}
