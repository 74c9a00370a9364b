//! Trino functions the embedded engine adds so SQL written for Athena runs as written: the
//! time-part functions (`hour(ts)`, `day_of_week(ts)`, …), `to_unixtime` as a double,
//! `from_iso8601_timestamp`, `date_add(unit, n, ts)`, `date_diff(unit, a, b)`, `date_format` and
//! `date_parse` with Trino's (MySQL's) specifiers, `format_datetime` with Joda patterns,
//! `regexp_extract`, `count_if` and `approx_percentile`. Timestamps are UTC, as in
//! flow logs. `FUNCTIONS` lists them for `athq` to document. It must not know about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, StringArray, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::compute::kernels::temporal::{DatePart, date_part};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{
    Accumulator, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature,
    Volatility, create_udaf,
};
use datafusion::prelude::SessionContext;
use jiff::{Span, Timestamp, Unit};

const MICROS: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);

/// Every function this module adds, with what it does, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("year", "the year of a timestamp or date"),
    ("quarter", "its quarter, 1-4"),
    ("month", "its month, 1-12"),
    ("week", "its ISO week, 1-53"),
    ("day", "its day of the month"),
    ("day_of_month", "the same as `day`"),
    ("day_of_week", "ISO day of the week, Monday 1 to Sunday 7"),
    ("dow", "the same as `day_of_week`"),
    ("day_of_year", "1-366"),
    ("doy", "the same as `day_of_year`"),
    ("hour", "0-23"),
    ("minute", "0-59"),
    ("second", "0-59"),
    ("to_unixtime", "seconds since 1970 as a double, as Trino gives them"),
    ("from_iso8601_timestamp", "`2026-11-21T10:00:00Z` (and other ISO 8601 forms) to a timestamp"),
    ("date_add", "`date_add('hour', 1, ts)`: add a number of a unit"),
    ("date_diff", "`date_diff('second', a, b)`: whole units from a to b"),
    ("date_format", "a timestamp as text with MySQL-style specifiers (`%Y-%m-%d %H:%i:%s`)"),
    ("date_parse", "text to a timestamp with the same specifiers"),
    ("format_datetime", "a timestamp as text with Joda patterns (`yyyy-MM-dd HH:mm`)"),
    ("regexp_extract", "`regexp_extract(s, pattern[, group])`: the first match, or NULL"),
    ("count_if", "how many rows the condition holds for"),
    ("approx_percentile", "`approx_percentile(x, 0.95)`"),
];

/// Registers the functions on a session.
pub fn register(ctx: &SessionContext) -> Result<()> {
    for (name, part) in [
        ("year", DatePart::Year),
        ("quarter", DatePart::Quarter),
        ("month", DatePart::Month),
        ("week", DatePart::Week),
        ("day", DatePart::Day),
        ("day_of_month", DatePart::Day),
        ("day_of_week", DatePart::DayOfWeekMonday0),
        ("dow", DatePart::DayOfWeekMonday0),
        ("day_of_year", DatePart::DayOfYear),
        ("doy", DatePart::DayOfYear),
        ("hour", DatePart::Hour),
        ("minute", DatePart::Minute),
        ("second", DatePart::Second),
    ] {
        ctx.register_udf(udf(name, Kind::Part(part)));
    }
    ctx.register_udf(udf("to_unixtime", Kind::ToUnixtime));
    ctx.register_udf(udf("from_iso8601_timestamp", Kind::FromIso8601));
    ctx.register_udf(udf("date_add", Kind::DateAdd));
    ctx.register_udf(udf("date_diff", Kind::DateDiff));
    ctx.register_udf(udf("date_format", Kind::DateFormat));
    ctx.register_udf(udf("date_parse", Kind::DateParse));
    ctx.register_udf(udf("format_datetime", Kind::FormatDatetime));
    ctx.register_udf(ScalarUDF::new_from_impl(Trino {
        name: "regexp_extract",
        kind: Kind::RegexpExtract,
        // (string, pattern) or (string, pattern, group): checked when the statement is planned.
        signature: Signature::one_of(
            vec![TypeSignature::Any(2), TypeSignature::Any(3)],
            Volatility::Immutable,
        ),
    }));
    ctx.register_udaf(create_udaf(
        "count_if",
        vec![DataType::Boolean],
        Arc::new(DataType::Int64),
        Volatility::Immutable,
        Arc::new(|_| Ok(Box::new(CountIf(0)))),
        Arc::new(vec![DataType::Int64]),
    ));
    let percentile = ctx.udaf("approx_percentile_cont")?;
    ctx.register_udaf(percentile.as_ref().clone().with_aliases(["approx_percentile"]));
    Ok(())
}

/// The time-part function of a name (`hour`, `day_of_week`), for EXTRACT.
pub fn part_udf(name: &str) -> ScalarUDF {
    let part = match name {
        "year" => DatePart::Year,
        "quarter" => DatePart::Quarter,
        "month" => DatePart::Month,
        "week" => DatePart::Week,
        "day" => DatePart::Day,
        "day_of_week" => DatePart::DayOfWeekMonday0,
        "day_of_year" => DatePart::DayOfYear,
        "hour" => DatePart::Hour,
        "minute" => DatePart::Minute,
        _ => DatePart::Second,
    };
    let name: &'static str = PARTS.iter().find(|p| **p == name).copied().unwrap_or("second");
    udf(name, Kind::Part(part))
}

const PARTS: &[&str] =
    &["year", "quarter", "month", "week", "day", "day_of_week", "day_of_year", "hour", "minute", "second"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Part(DatePart),
    ToUnixtime,
    FromIso8601,
    DateAdd,
    DateDiff,
    DateFormat,
    DateParse,
    FormatDatetime,
    RegexpExtract,
}

#[derive(Debug, PartialEq, Eq)]
struct Trino {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

impl std::hash::Hash for Trino {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

/// `n` of `unit`, as a span.
fn span(name: &str, unit: Unit, n: i64) -> Result<Span> {
    let s = Span::new();
    match unit {
        Unit::Millisecond => s.try_milliseconds(n),
        Unit::Second => s.try_seconds(n),
        Unit::Minute => s.try_minutes(n),
        Unit::Hour => s.try_hours(n),
        Unit::Day => s.try_days(n),
        Unit::Week => s.try_weeks(n),
        Unit::Month => s.try_months(n),
        _ => s.try_years(n),
    }
    .map_err(|e| err(name, e))
}

fn udf(name: &'static str, kind: Kind) -> ScalarUDF {
    let arity = match kind {
        Kind::Part(_) | Kind::ToUnixtime | Kind::FromIso8601 => 1,
        Kind::DateFormat | Kind::DateParse | Kind::FormatDatetime => 2,
        Kind::RegexpExtract => 3,
        Kind::DateAdd | Kind::DateDiff => 3,
    };
    ScalarUDF::new_from_impl(Trino { name, kind, signature: Signature::any(arity, Volatility::Immutable) })
}

fn err(name: &str, what: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Execution(format!("{name}: {what}"))
}

/// The offset at the end of an ISO 8601 time (`Z`, `+02:00`), if it has one.
fn iso_offset(text: &str) -> Option<&str> {
    let t = text.trim();
    if t.ends_with(['Z', 'z']) {
        return Some(&t[t.len() - 1..]);
    }
    let time = &t[t.find(['T', ' '])? + 1..];
    let at = time.rfind(['+', '-'])?;
    Some(&time[at..])
}

/// Any timestamp or date array as UTC microseconds.
fn micros(name: &str, a: &ArrayRef) -> Result<TimestampMicrosecondArray> {
    if !matches!(
        a.data_type(),
        DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 | DataType::Null
    ) {
        return Err(err(name, format!("takes a timestamp, not {}", a.data_type())));
    }
    Ok(cast(a, &MICROS)?.as_primitive::<TimestampMicrosecondType>().clone())
}

fn at(us: i64) -> Option<Timestamp> {
    Timestamp::from_microsecond(us).ok()
}

/// A Trino unit name as jiff's.
fn unit(name: &str, u: &str) -> Result<Unit> {
    Ok(match u.to_ascii_lowercase().as_str() {
        "millisecond" => Unit::Millisecond,
        "second" => Unit::Second,
        "minute" => Unit::Minute,
        "hour" => Unit::Hour,
        "day" => Unit::Day,
        "week" => Unit::Week,
        "month" => Unit::Month,
        "quarter" => Unit::Month,
        "year" => Unit::Year,
        other => {
            return Err(err(
                name,
                format!(
                    "unknown unit `{other}`: use second, minute, hour, day, week, month, quarter or year"
                ),
            ));
        }
    })
}

/// Trino's `date_format` specifiers (MySQL's) as strftime's.
fn strftime_of(fmt: &str) -> String {
    let mut out = String::with_capacity(fmt.len() + 8);
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        out.push_str(match chars.next() {
            Some('a') => "%a",
            Some('b') => "%b",
            Some('c') => "%-m",
            Some('d') => "%d",
            Some('e') => "%-d",
            Some('f') => "%6f",
            Some('H') => "%H",
            Some('h') | Some('I') => "%I",
            Some('i') => "%M",
            Some('j') => "%j",
            Some('k') => "%-H",
            Some('l') => "%-I",
            Some('M') => "%B",
            Some('m') => "%m",
            Some('p') => "%p",
            Some('r') => "%I:%M:%S %p",
            Some('S') | Some('s') => "%S",
            Some('T') => "%H:%M:%S",
            Some('v') => "%V",
            Some('W') => "%A",
            Some('Y') => "%Y",
            Some('y') => "%y",
            Some('%') => "%%",
            Some(other) => {
                out.push(other);
                continue;
            }
            None => "%%",
        });
    }
    out
}

/// A Joda pattern (`yyyy-MM-dd HH:mm:ss`, as `format_datetime` takes) as strftime's.
pub fn strftime_of_joda(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        if c == '\'' {
            // 'literal text', in which '' is a quote; '' outside it is a quote too.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            while j < chars.len() {
                if chars[j] == '\'' {
                    if chars.get(j + 1) == Some(&'\'') {
                        out.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                if chars[j] == '%' {
                    out.push_str("%%")
                } else {
                    out.push(chars[j])
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let spec = match (c, n) {
            ('y' | 'Y', 2) => "%y".to_string(),
            ('y' | 'Y', _) => "%Y".to_string(),
            ('M', 1) => "%-m".to_string(),
            ('M', 2) => "%m".to_string(),
            ('M', 3) => "%b".to_string(),
            ('M', _) => "%B".to_string(),
            ('d', 1) => "%-d".to_string(),
            ('d', _) => "%d".to_string(),
            ('D', _) => "%j".to_string(),
            ('H', 1) => "%-H".to_string(),
            ('H', _) => "%H".to_string(),
            ('h', 1) => "%-I".to_string(),
            ('h', _) => "%I".to_string(),
            ('m', 1) => "%-M".to_string(),
            ('m', _) => "%M".to_string(),
            ('s', 1) => "%-S".to_string(),
            ('s', _) => "%S".to_string(),
            ('S', n) => format!("%{}f", n.min(9)),
            ('a', _) => "%p".to_string(),
            ('E', 1..=3) => "%a".to_string(),
            ('E', _) => "%A".to_string(),
            ('Z', _) => "%z".to_string(),
            ('z', _) => "%Z".to_string(),
            ('%', _) => "%%".repeat(n),
            (other, n) => other.to_string().repeat(n),
        };
        out.push_str(&spec);
        i += n;
    }
    out
}

/// An argument as strings, cast once for the whole batch.
fn strings(a: &ArrayRef) -> Result<StringArray> {
    Ok(cast(a, &DataType::Utf8)?.as_string::<i32>().clone())
}

/// An argument as whole numbers, cast once for the whole batch.
fn ints(a: &ArrayRef) -> Result<Int64Array> {
    Ok(cast(a, &DataType::Int64)?.as_primitive::<datafusion::arrow::datatypes::Int64Type>().clone())
}

fn int_at_ts(a: &TimestampMicrosecondArray, i: usize) -> Option<i64> {
    (!a.is_null(i)).then(|| a.value(i))
}

fn str_at(a: &StringArray, i: usize) -> Option<&str> {
    (!a.is_null(i)).then(|| a.value(i))
}

fn int_at(a: &Int64Array, i: usize) -> Option<i64> {
    (!a.is_null(i)).then(|| a.value(i))
}

/// Translates a format once per distinct value (it is almost always one constant).
struct Formats<F: Fn(&str) -> String> {
    translate: F,
    last: Option<(String, String)>,
}

impl<F: Fn(&str) -> String> Formats<F> {
    fn get(&mut self, pattern: &str) -> &str {
        if self.last.as_ref().is_none_or(|(p, _)| p != pattern) {
            self.last = Some((pattern.to_string(), (self.translate)(pattern)));
        }
        &self.last.as_ref().expect("just set").1
    }
}

/// Microseconds in a unit of fixed length (in UTC every day is 24 hours), for date_diff.
fn fixed_micros(unit: Unit) -> Option<i64> {
    Some(match unit {
        Unit::Millisecond => 1_000,
        Unit::Second => 1_000_000,
        Unit::Minute => 60_000_000,
        Unit::Hour => 3_600_000_000,
        Unit::Day => 86_400_000_000,
        Unit::Week => 604_800_000_000,
        _ => return None,
    })
}

impl ScalarUDFImpl for Trino {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::Part(_) | Kind::DateDiff => DataType::Int64,
            Kind::ToUnixtime => DataType::Float64,
            // A zoned timestamp stays in its zone; Trino's from_iso8601_timestamp gives one.
            Kind::DateAdd => match args.get(2) {
                Some(DataType::Timestamp(_, Some(z))) => super::zones::zoned_type(z),
                _ => MICROS,
            },
            Kind::FromIso8601 => super::zones::zoned_type("UTC"),
            Kind::DateParse => MICROS,
            Kind::DateFormat | Kind::FormatDatetime | Kind::RegexpExtract => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let a = ColumnarValue::values_to_arrays(&args.args)?;
        let name = self.name;
        let out: ArrayRef = match self.kind {
            Kind::Part(part) if matches!(a[0].data_type(), DataType::Timestamp(_, Some(_))) => {
                // A zoned value's parts are its wall clock's, in its zone.
                let (t, tz, _) = super::zones::instants(name, &a[0])?;
                Arc::new(
                    t.iter()
                        .map(|v| {
                            let z = super::zones::wall(v?, &tz)?;
                            Some(i64::from(match part {
                                DatePart::Year => z.year(),
                                DatePart::Quarter => i16::from((z.month() - 1) / 3 + 1),
                                DatePart::Month => i16::from(z.month()),
                                DatePart::Week => i16::from(z.date().iso_week_date().week()),
                                DatePart::Day => i16::from(z.day()),
                                // Trino's day_of_week: Monday 1 to Sunday 7.
                                DatePart::DayOfWeekMonday0 => i16::from(z.weekday().to_monday_one_offset()),
                                DatePart::DayOfYear => z.day_of_year(),
                                DatePart::Hour => i16::from(z.hour()),
                                DatePart::Minute => i16::from(z.minute()),
                                _ => i16::from(z.second()),
                            }))
                        })
                        .collect::<Int64Array>(),
                )
            }
            Kind::Part(part) => {
                let parts = date_part(&micros(name, &a[0])?, part)?;
                let parts = cast(&parts, &DataType::Int64)?;
                match part {
                    // Trino counts Monday as 1 … Sunday as 7.
                    DatePart::DayOfWeekMonday0 => {
                        let p = parts.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
                        Arc::new(p.iter().map(|v| v.map(|d| d + 1)).collect::<Int64Array>())
                    }
                    _ => parts,
                }
            }
            Kind::ToUnixtime => {
                let (t, _, _) = super::zones::instants(name, &a[0])?;
                Arc::new(t.iter().map(|v| v.map(|us| us as f64 / 1e6)).collect::<Float64Array>())
            }
            Kind::FromIso8601 => {
                let texts = strings(&a[0])?;
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    let Some(text) = str_at(&texts, i) else {
                        out.push(None);
                        continue;
                    };
                    // Trino keeps each value's offset; here the column is UTC, so another offset
                    // would read a different wall clock: refused.
                    if let Some(offset) = iso_offset(text)
                        .filter(|o| !matches!(*o, "Z" | "z" | "+00:00" | "+0000" | "-00:00" | "+00"))
                    {
                        return Err(err(
                            name,
                            format!(
                                "\"{text}\" has the offset {offset}: only UTC (Z) is supported on the embedded engine \
                                 (Trino keeps each value's own zone)"
                            ),
                        ));
                    }
                    out.push(crate::render::window::parse_time(text).ok().map(|t| t.as_microsecond()));
                }
                Arc::new(TimestampMicrosecondArray::from(out).with_timezone("UTC"))
            }
            Kind::DateAdd => {
                let (units, counts) = (strings(&a[0])?, ints(&a[1])?);
                let (t, tz, zoned) = super::zones::instants(name, &a[2])?;
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    let (Some(u), Some(n), Some(us)) =
                        (str_at(&units, i), int_at(&counts, i), int_at_ts(&t, i))
                    else {
                        out.push(None);
                        continue;
                    };
                    let n = if u.eq_ignore_ascii_case("quarter") { n * 3 } else { n };
                    let span = span(name, unit(name, u)?, n)?;
                    let z = at(us).ok_or_else(|| err(name, "timestamp out of range"))?.to_zoned(tz.clone());
                    out.push(Some(
                        z.checked_add(span).map_err(|e| err(name, e))?.timestamp().as_microsecond(),
                    ));
                }
                Arc::new(TimestampMicrosecondArray::from(out).with_timezone_opt(zoned))
            }
            Kind::DateDiff => {
                let (units, (x, tz, _), (y, _, _)) = (
                    strings(&a[0])?,
                    super::zones::instants(name, &a[1])?,
                    super::zones::instants(name, &a[2])?,
                );
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    let (Some(u), Some(from), Some(to)) =
                        (str_at(&units, i), int_at_ts(&x, i), int_at_ts(&y, i))
                    else {
                        out.push(None);
                        continue;
                    };
                    let unit = unit(name, u)?;
                    // Fixed-length units are arithmetic (truncated toward zero, as Trino counts);
                    // months, quarters and years follow the calendar.
                    if let Some(len) = fixed_micros(unit) {
                        out.push(Some((to - from) / len));
                        continue;
                    }
                    let utc = |us| at(us).map(|t| t.to_zoned(tz.clone()));
                    let (Some(from), Some(to)) = (utc(from), utc(to)) else {
                        out.push(None);
                        continue;
                    };
                    let span = from.until((unit, &to)).map_err(|e| err(name, e))?;
                    let n = span.total((unit, &from)).map_err(|e| err(name, e))?.trunc() as i64;
                    out.push(Some(if u.eq_ignore_ascii_case("quarter") { n / 3 } else { n }));
                }
                Arc::new(Int64Array::from(out))
            }
            Kind::DateParse => {
                let (texts, patterns) = (strings(&a[0])?, strings(&a[1])?);
                // Parsing takes no padding flags: %-m reads like %m.
                let mut formats =
                    Formats { translate: |p: &str| strftime_of(p).replace("%-", "%"), last: None };
                Arc::new(
                    (0..rows)
                        .map(|i| {
                            let fmt = formats.get(str_at(&patterns, i)?);
                            let tm = jiff::fmt::strtime::parse(fmt, str_at(&texts, i)?).ok()?;
                            let dt =
                                tm.to_datetime().or_else(|_| tm.to_date().map(|d| d.at(0, 0, 0, 0))).ok()?;
                            Some(dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp().as_microsecond())
                        })
                        .collect::<TimestampMicrosecondArray>(),
                )
            }
            Kind::RegexpExtract => {
                let (texts, patterns) = (strings(&a[0])?, strings(&a[1])?);
                let groups = a.get(2).map(ints).transpose()?;
                let mut cache: Option<(String, regex::Regex)> = None;
                let mut out = Vec::with_capacity(rows);
                for i in 0..rows {
                    let g = match &groups {
                        Some(g) => int_at(g, i).map(|g| g.max(0) as usize),
                        None => Some(0),
                    };
                    let (Some(text), Some(pattern), Some(g)) = (str_at(&texts, i), str_at(&patterns, i), g)
                    else {
                        out.push(None);
                        continue;
                    };
                    if cache.as_ref().is_none_or(|(p, _)| p != pattern) {
                        let re = regex::Regex::new(pattern).map_err(|e| err(name, e))?;
                        cache = Some((pattern.to_string(), re));
                    }
                    let re = &cache.as_ref().expect("just set").1;
                    if g > re.captures_len() - 1 {
                        return Err(err(name, format!("the pattern has no group {g}")));
                    }
                    out.push(re.captures(text).and_then(|c| c.get(g)).map(|m| m.as_str().to_string()));
                }
                Arc::new(StringArray::from(out))
            }
            Kind::DateFormat | Kind::FormatDatetime => {
                let joda = self.kind == Kind::FormatDatetime;
                let ((t, tz, _), patterns) = (super::zones::instants(name, &a[0])?, strings(&a[1])?);
                let mut formats = Formats {
                    translate: |p: &str| if joda { strftime_of_joda(p) } else { strftime_of(p) },
                    last: None,
                };
                Arc::new(
                    (0..rows)
                        .map(|i| {
                            let fmt = formats.get(str_at(&patterns, i)?);
                            let z = at(int_at_ts(&t, i)?)?.to_zoned(tz.clone());
                            Some(z.strftime(fmt).to_string())
                        })
                        .collect::<StringArray>(),
                )
            }
        };
        super::fun::answer(out, scalar)
    }
}

/// `count_if(condition)`: rows where the condition is true.
#[derive(Debug)]
struct CountIf(i64);

impl Accumulator for CountIf {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let b: &BooleanArray = values[0].as_boolean();
        self.0 += b.iter().filter(|v| *v == Some(true)).count() as i64;
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let s = states[0].as_primitive::<datafusion::arrow::datatypes::Int64Type>();
        self.0 += s.iter().flatten().sum::<i64>();
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Int64(Some(self.0))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(self.0)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_function_is_registered() {
        let ctx = SessionContext::new();
        register(&ctx).unwrap();
        let state = ctx.state();
        for (name, _) in FUNCTIONS {
            assert!(
                state.scalar_functions().contains_key(*name)
                    || state.aggregate_functions().contains_key(*name),
                "{name} is documented but not registered"
            );
        }
    }

    #[test]
    fn mysql_specifiers_become_strftime() {
        assert_eq!(strftime_of("%Y-%m-%d %H:%i:%s"), "%Y-%m-%d %H:%M:%S");
        assert_eq!(strftime_of("%c/%e %T %p %%"), "%-m/%-d %H:%M:%S %p %%");
    }

    #[test]
    fn joda_patterns_become_strftime() {
        assert_eq!(strftime_of_joda("yyyy-MM-dd HH:mm:ss.SSS"), "%Y-%m-%d %H:%M:%S.%3f");
        assert_eq!(strftime_of_joda("EEE, d MMM yy 'at' h:mm a"), "%a, %-d %b %y at %-I:%M %p");
        assert_eq!(strftime_of_joda("'it''s' 100%"), "it's 100%%");
        assert_eq!(strftime_of_joda("HH''mm"), "%H'%M");
    }

    #[test]
    fn units_are_checked() {
        assert!(unit("date_add", "HOUR").is_ok());
        assert!(unit("date_add", "fortnight").unwrap_err().to_string().contains("unknown unit `fortnight`"));
    }
}
