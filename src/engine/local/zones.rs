//! Trino's `timestamp with time zone` on the embedded engine. A zoned value is an Arrow
//! timestamp with a zone: the instant in UTC microseconds, and the zone its wall clock is read
//! in (`America/New_York`, `+02:00`, `UTC`). Athena's session zone is UTC, so a timestamp
//! without a zone (what `from_unixtime(x)` gives here) is that instant in UTC.
//! `AT TIME ZONE`, `at_timezone`, `from_unixtime(x, zone)`, `with_timezone`, `to_iso8601`,
//! `parse_datetime` and `current_timezone` are here; `ZonedCasts` gives casts to and from zoned
//! values Trino's meaning (the wall clock in the value's zone), which Arrow's casts do not.
//! The time-part and formatting functions in `trino` read zoned values through `instants`.
//! It must not know about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, TimeUnit};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, LogicalPlan, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;
use jiff::tz::TimeZone;

use super::fun::{Fun, fail, is_text, text, wrong};

/// Every function this module adds, with what it does, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("AT TIME ZONE", "`ts AT TIME ZONE 'America/New_York'`: the same instant, read in that zone"),
    ("at_timezone", "`at_timezone(ts, zone)`: the same as `AT TIME ZONE`"),
    ("with_timezone", "`with_timezone(ts, zone)`: a timestamp's wall clock taken as a time in that zone"),
    (
        "from_unixtime",
        "`from_unixtime(x[, zone])`: seconds since 1970 as a timestamp with time zone (UTC, or the zone), \
         as are `now()` and `current_timestamp`",
    ),
    ("to_iso8601", "a timestamp as ISO 8601 text (`2026-11-21T10:00:00.000Z`)"),
    (
        "parse_datetime",
        "`parse_datetime(text, 'dd/MMM/yyyy:HH:mm:ss Z')`: text to a timestamp with a zone, Joda patterns",
    ),
    ("current_timezone", "the session's zone: `UTC`, as on Athena"),
];

/// Registers the functions on a session.
pub fn register(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(Zoned::new("at_timezone", Kind::At)));
    ctx.register_udf(ScalarUDF::new_from_impl(Zoned::new("with_timezone", Kind::With)));
    ctx.register_udf(ScalarUDF::new_from_impl(Zoned::new("parse_datetime", Kind::Parse)));
    ctx.register_udf(Fun::udf("to_iso8601", &[1], |n, a| one_time(n, a).map(|_| DataType::Utf8), to_iso8601));
    ctx.register_udf(Fun::udf(
        "current_timezone",
        &[0],
        |_, _| Ok(DataType::Utf8),
        |_, _, rows| Ok(Arc::new(StringArray::from(vec!["UTC"; rows.max(1)]))),
    ));
    ctx.register_udf(local_time_udf().as_ref().clone());
    ctx.register_udf(zoned_text_udf().as_ref().clone());
}

/// A zone by Trino's name for it: an IANA name, an offset (`+05:30`), or `UTC`/`Z`; with the
/// name Athena shows (a zero offset is `UTC`).
pub fn zone(name: &str) -> std::result::Result<(String, TimeZone), String> {
    let n = name.trim();
    if n.eq_ignore_ascii_case("utc") || n.eq_ignore_ascii_case("z") || n.eq_ignore_ascii_case("gmt") {
        return Ok(("UTC".into(), TimeZone::UTC));
    }
    if let Some(sign) = n.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = n[1..].chars().filter(|c| c.is_ascii_digit()).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok(), Some(0)),
            4 => (digits[..2].parse::<i32>().ok(), digits[2..].parse::<i32>().ok()),
            _ => (None, None),
        };
        let (Some(h), Some(m)) = (h, m) else { return Err(format!("`{name}` is not a time zone")) };
        if h > 14 || m > 59 {
            return Err(format!("`{name}` is not a time zone"));
        }
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        if secs == 0 {
            return Ok(("UTC".into(), TimeZone::UTC));
        }
        let offset = jiff::tz::Offset::from_seconds(secs).map_err(|e| e.to_string())?;
        return Ok((format!("{sign}{h:02}:{m:02}"), TimeZone::fixed(offset)));
    }
    match TimeZone::get(n) {
        Ok(tz) => Ok((tz.iana_name().unwrap_or(n).to_string(), tz)),
        Err(_) => Err(format!(
            "`{name}` is not a time zone (an IANA name such as America/New_York, an offset such as +05:30, or UTC)"
        )),
    }
}

/// The zoned timestamp type for a zone name.
pub fn zoned_type(name: &str) -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(name.into()))
}

/// A timestamp (or date) column as UTC microseconds, with the zone its wall clock is read in
/// (`UTC` for a timestamp without a zone, as Athena's session has it).
pub fn instants(name: &str, a: &ArrayRef) -> Result<(TimestampMicrosecondArray, TimeZone, Option<String>)> {
    use datafusion::arrow::compute::kernels::cast::cast;
    let (unit_array, zone_name) = match a.data_type() {
        DataType::Timestamp(_, Some(z)) => {
            // Same zone, microseconds: Arrow keeps the instant; then the zone is dropped as a
            // label only.
            let us = cast(a, &DataType::Timestamp(TimeUnit::Microsecond, Some(z.clone())))?;
            let arr = us.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().clone();
            (arr.with_timezone_opt(None::<String>), Some(z.to_string()))
        }
        DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 | DataType::Null => {
            let us = cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
            (us.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().clone(), None)
        }
        other => {
            return Err(fail(name, format!("takes a timestamp, not {}", super::convert::athena_type(other))));
        }
    };
    let tz = match &zone_name {
        Some(z) => zone(z).map_err(|e| fail(name, e))?.1,
        None => TimeZone::UTC,
    };
    Ok((unit_array, tz, zone_name))
}

/// A microsecond instant read in a zone.
pub fn wall(us: i64, tz: &TimeZone) -> Option<jiff::Zoned> {
    Some(jiff::Timestamp::from_microsecond(us).ok()?.to_zoned(tz.clone()))
}

fn one_time(name: &str, args: &[DataType]) -> Result<()> {
    match &args[0] {
        DataType::Timestamp(..) | DataType::Date32 | DataType::Null => Ok(()),
        _ => Err(wrong(name, "a timestamp", args)),
    }
}

fn to_iso8601(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (t, tz, zoned) = instants(name, &a[0])?;
    let out: StringArray = t
        .iter()
        .map(|v| {
            let z = wall(v?, &tz)?;
            let base = z.strftime("%Y-%m-%dT%H:%M:%S%.3f").to_string();
            Some(match &zoned {
                None => base,
                Some(_) if z.offset().seconds() == 0 => format!("{base}Z"),
                Some(_) => format!("{base}{}", z.strftime("%:z")),
            })
        })
        .collect();
    Ok(Arc::new(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// The instant, read in another zone.
    At,
    /// The wall clock, taken as a time in the zone.
    With,
    /// Text parsed with a Joda pattern.
    Parse,
}

/// The functions whose result type names a zone given as a constant argument.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Zoned {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

impl Zoned {
    fn new(name: &'static str, kind: Kind) -> Zoned {
        Zoned { name, kind, signature: Signature::any(2, Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for Zoned {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Err(DataFusionError::Internal("return_field_from_args".into()))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        let name = match self.kind {
            Kind::Parse => {
                if !(is_text(&types[0]) && is_text(&types[1])) {
                    return Err(wrong(self.name, "text and a Joda pattern", &types));
                }
                "UTC".to_string()
            }
            _ => {
                one_time(self.name, &types)?;
                let zone_arg = match args.scalar_arguments.get(1) {
                    Some(Some(
                        ScalarValue::Utf8(Some(z))
                        | ScalarValue::Utf8View(Some(z))
                        | ScalarValue::LargeUtf8(Some(z)),
                    )) => z.clone(),
                    _ => {
                        return Err(DataFusionError::Plan(format!(
                            "{}: the zone must be a constant here (a column of zones is not supported on the embedded engine)",
                            self.name
                        )));
                    }
                };
                zone(&zone_arg).map_err(|e| DataFusionError::Plan(format!("{}: {e}", self.name)))?.0
            }
        };
        Ok(Arc::new(Field::new(self.name, zoned_type(&name), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let rows = if scalar { 1 } else { args.number_rows };
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let DataType::Timestamp(_, Some(target)) = args.return_field.data_type() else {
            return Err(DataFusionError::Internal("a zoned result".into()));
        };
        let (_, tz) = zone(target).map_err(|e| fail(self.name, e))?;
        let out: TimestampMicrosecondArray = match self.kind {
            Kind::At => instants(self.name, &arrays[0])?.0,
            Kind::With => {
                let (t, _, _) = instants(self.name, &arrays[0])?;
                t.iter()
                    .map(|v| {
                        let civil = wall(v?, &TimeZone::UTC)?.datetime();
                        Some(civil.to_zoned(tz.clone()).ok()?.timestamp().as_microsecond())
                    })
                    .collect()
            }
            Kind::Parse => {
                let mut formats: Option<(String, String)> = None;
                let mut values = Vec::with_capacity(rows);
                for i in 0..arrays[0].len() {
                    let (Some(s), Some(p)) = (text(&arrays[0], i), text(&arrays[1], i)) else {
                        values.push(None);
                        continue;
                    };
                    if formats.as_ref().is_none_or(|(q, _)| q != p) {
                        formats = Some((p.to_string(), super::trino::strftime_of_joda(p).replace("%-", "%")));
                    }
                    let fmt = &formats.as_ref().expect("just set").1;
                    let tm = jiff::fmt::strtime::parse(fmt, s)
                        .map_err(|e| fail(self.name, format!("Invalid format: \"{s}\" ({e})")))?;
                    let at = match tm.offset() {
                        Some(o) if o.seconds() != 0 => {
                            return Err(fail(
                                self.name,
                                format!(
                                    "\"{s}\" has the offset {o}: only UTC offsets are supported on the embedded \
                                     engine (Trino keeps each value's own zone)"
                                ),
                            ));
                        }
                        _ => tm.to_datetime().map_err(|e| fail(self.name, e))?.to_zoned(TimeZone::UTC),
                    };
                    values.push(Some(at.map_err(|e| fail(self.name, e))?.timestamp().as_microsecond()));
                }
                TimestampMicrosecondArray::from(values)
            }
        };
        let out: ArrayRef = Arc::new(out.with_timezone(target.to_string()));
        super::fun::answer(out, scalar)
    }
}

/// `local_time(zoned)`: the wall clock of a zoned value, as a timestamp without a zone (Trino's
/// `CAST(x AS timestamp)`).
fn local_time_udf() -> Arc<ScalarUDF> {
    Arc::new(Fun::udf(
        "local_time",
        &[1],
        |n, a| one_time(n, a).map(|_| DataType::Timestamp(TimeUnit::Microsecond, None)),
        |n, a, _| {
            let (t, tz, _) = instants(n, &a[0])?;
            let out: TimestampMicrosecondArray = t
                .iter()
                .map(|v| {
                    let civil = wall(v?, &tz)?.datetime();
                    Some(civil.to_zoned(TimeZone::UTC).ok()?.timestamp().as_microsecond())
                })
                .collect();
            Ok(Arc::new(out))
        },
    ))
}

/// A zoned value as Athena prints it: `2026-11-21 05:00:00.000 America/New_York`.
pub fn zoned_text(us: i64, zone_name: &str) -> Option<String> {
    let (shown, tz) = zone(zone_name).ok()?;
    Some(format!("{} {shown}", wall(us, &tz)?.strftime("%Y-%m-%d %H:%M:%S%.3f")))
}

/// `zoned_text(zoned)`: Trino's `CAST(x AS varchar)` of a zoned value.
fn zoned_text_udf() -> Arc<ScalarUDF> {
    Arc::new(Fun::udf(
        "zoned_text",
        &[1],
        |n, a| one_time(n, a).map(|_| DataType::Utf8),
        |n, a, _| {
            let (t, _, z) = instants(n, &a[0])?;
            let z = z.unwrap_or_else(|| "UTC".into());
            Ok(Arc::new(t.iter().map(|v| zoned_text(v?, &z)).collect::<StringArray>()))
        },
    ))
}

/// Casts to and from zoned timestamps with Trino's meaning: a zoned value cast to a timestamp,
/// a date or text reads its wall clock in its zone; a timestamp or date cast to a zoned one is
/// taken in UTC (Athena's session zone). Arrow's casts read the zone the other way round.
/// Runs after type coercion, which adds the implied casts (comparing zoned with plain values).
#[derive(Debug)]
pub struct ZonedCasts {
    local_time: Arc<ScalarUDF>,
    text: Arc<ScalarUDF>,
    at: Arc<ScalarUDF>,
}

impl ZonedCasts {
    pub fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
        Arc::new(ZonedCasts {
            local_time: local_time_udf(),
            text: zoned_text_udf(),
            at: Arc::new(ScalarUDF::new_from_impl(Zoned::new("at_timezone", Kind::At))),
        })
    }

    fn rewrite(&self, e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
        let (inner, to, lenient) = match &e {
            Expr::Cast(c) => (c.expr.as_ref(), c.field.data_type().clone(), false),
            Expr::TryCast(c) => (c.expr.as_ref(), c.field.data_type().clone(), true),
            _ => return Ok(Transformed::no(e)),
        };
        let Ok(from) = inner.get_type(schema) else { return Ok(Transformed::no(e)) };
        let call = |f: &Arc<ScalarUDF>, args: Vec<Expr>| {
            Expr::ScalarFunction(ScalarFunction::new_udf(f.clone(), args))
        };
        let cast = |x: Expr, t: DataType| match lenient {
            true => Expr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(x), t)),
            false => Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(x), t)),
        };
        let zoned_from = matches!(from, DataType::Timestamp(_, Some(_)));
        Ok(match (&to, zoned_from) {
            (DataType::Timestamp(_, Some(_)), true) => Transformed::no(e),
            (DataType::Timestamp(_, None) | DataType::Date32 | DataType::Date64, true) => {
                Transformed::yes(cast(call(&self.local_time, vec![inner.clone()]), to.clone()))
            }
            (DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8, true) => {
                Transformed::yes(cast(call(&self.text, vec![inner.clone()]), to.clone()))
            }
            (_, true) => {
                return Err(DataFusionError::Plan(format!(
                    "a timestamp with a time zone cast to {} is not supported on the embedded engine",
                    super::convert::athena_type(&to)
                )));
            }
            (DataType::Timestamp(_, Some(z)), false)
                if matches!(
                    from,
                    DataType::Timestamp(_, None) | DataType::Date32 | DataType::Date64 | DataType::Null
                ) =>
            {
                let zone_name = Expr::Literal(ScalarValue::Utf8(Some(z.to_string())), None);
                // In the cast's own unit, which the expression around it was planned for.
                Transformed::yes(cast(call(&self.at, vec![inner.clone(), zone_name]), to.clone()))
            }
            // A JSON value, or text to an array or a map: Trino's cast from JSON.
            (to, false) if from == super::json::JSON && *to != super::json::JSON => Transformed::yes(call(
                &Arc::new(super::json::JsonCast::udf(to.clone(), lenient)),
                vec![inner.clone()],
            )),
            (DataType::List(_) | DataType::Map(..), false)
                if matches!(from, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8) =>
            {
                Transformed::yes(call(
                    &Arc::new(super::json::JsonCast::udf(to.clone(), lenient)),
                    vec![inner.clone()],
                ))
            }
            (DataType::Timestamp(_, Some(_)), false) => {
                return Err(DataFusionError::Plan(format!(
                    "a cast of {} to a timestamp with a time zone is not supported on the embedded engine: use \
                     parse_datetime or from_iso8601_timestamp",
                    super::convert::athena_type(&from)
                )));
            }
            _ => Transformed::no(e),
        })
    }
}

impl AnalyzerRule for ZonedCasts {
    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            let schema = super::fun::input_schema(&node);
            let names = datafusion::logical_expr::expr_rewriter::NamePreserver::new(&node);
            node.map_expressions(|expr| {
                let saved = names.save(&expr);
                Ok(expr.transform_up(|e| self.rewrite(e, &schema))?.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "athq_zoned_casts"
    }
}

/// Whether a TIMESTAMP literal's text names a zone or an offset after its time
/// (`… 10:00:00 UTC`, `…T10:00:00+02:00`, `…Z`).
fn names_zone(literal: &str) -> bool {
    let text = literal.trim().trim_matches('\'').trim();
    let Some((_, time)) = text.split_once([' ', 'T']) else { return false };
    time.trim().contains(['+', '-', 'Z', 'z', ' ', '/']) || time.chars().any(|c| c.is_ascii_alphabetic())
}

/// `AT TIME ZONE` and `from_unixtime(x, zone)` in the statement, as `at_timezone` calls. A
/// `TIMESTAMP WITH TIME ZONE` literal or cast, or a TIMESTAMP literal naming a zone, is refused:
/// DataFusion reads them as UTC timestamps without the zone, whose wall clock differs.
pub fn rewrite(statement: &mut datafusion::sql::parser::Statement) -> Result<()> {
    use datafusion::sql::sqlparser::ast::{
        self as ast, DataType as Type, Expr as Sql, FunctionArg, FunctionArgExpr, FunctionArguments,
        TimezoneInfo,
    };
    let Some(statement) = super::fun::sql_mut(statement) else { return Ok(()) };
    let refused = ast::visit_expressions(&*statement, |e| {
        let zoned_type =
            |t: &Type| matches!(t, Type::Timestamp(_, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz));
        match e {
            Sql::Cast { data_type, .. } if zoned_type(data_type) => std::ops::ControlFlow::Break(()),
            Sql::TypedString(ts) if zoned_type(&ts.data_type) => std::ops::ControlFlow::Break(()),
            Sql::TypedString(ts)
                if matches!(ts.data_type, Type::Timestamp(..)) && names_zone(&ts.value.to_string()) =>
            {
                std::ops::ControlFlow::Break(())
            }
            _ => std::ops::ControlFlow::Continue(()),
        }
    });
    if refused.is_break() {
        return Err(DataFusionError::Plan(
            "`TIMESTAMP WITH TIME ZONE` (a cast, or a TIMESTAMP literal naming a zone) is not supported on the \
             embedded engine: write from_iso8601_timestamp('…Z'), parse_datetime(…), or ts AT TIME ZONE 'zone'"
                .into(),
        ));
    }
    let call = super::fun::sql_call;
    let utc = |e: Sql| {
        call("at_timezone", vec![e, Sql::Value(ast::Value::SingleQuotedString("UTC".into()).into())])
    };
    // Post-order: a call put in place here is not visited again.
    let _ = ast::visit_expressions_mut(statement, |e| {
        let replacement = match e {
            Sql::AtTimeZone { timestamp, time_zone } => {
                Some(call("at_timezone", vec![(**timestamp).clone(), (**time_zone).clone()]))
            }
            Sql::Function(f) if f.name.to_string().eq_ignore_ascii_case("from_unixtime") => match &f.args {
                FunctionArguments::List(l) if l.args.len() == 2 => {
                    let args: Vec<Sql> = l
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                            _ => None,
                        })
                        .collect();
                    (args.len() == 2).then(|| {
                        call(
                            "at_timezone",
                            vec![call("from_unixtime", vec![args[0].clone()]), args[1].clone()],
                        )
                    })
                }
                // Trino's from_unixtime(x) is a timestamp with time zone, in UTC.
                FunctionArguments::List(l) if l.args.len() == 1 => Some(utc(e.clone())),
                _ => None,
            },
            // So are now() and current_timestamp (the session's zone, UTC on Athena).
            Sql::Function(f)
                if ["now", "current_timestamp"]
                    .iter()
                    .any(|n| f.name.to_string().eq_ignore_ascii_case(n)) =>
            {
                Some(utc(e.clone()))
            }
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_naming_a_zone_are_found() {
        assert!(!names_zone("'2026-11-21 10:00:00'"));
        assert!(!names_zone("'2026-11-21 10:00:00.123'"));
        assert!(!names_zone("'2026-11-21'"));
        assert!(names_zone("'2026-11-21 10:00:00 UTC'"));
        assert!(names_zone("'2026-11-21 10:00:00+02:00'"));
        assert!(names_zone("'2026-11-21T10:00:00Z'"));
        assert!(names_zone("'2026-11-21 10:00:00 America/New_York'"));
    }

    #[test]
    fn zones_are_named_as_athena_shows_them() {
        assert_eq!(zone("America/New_York").unwrap().0, "America/New_York");
        assert_eq!(zone("+05:30").unwrap().0, "+05:30");
        assert_eq!(zone("+0000").unwrap().0, "UTC");
        assert_eq!(zone("z").unwrap().0, "UTC");
        assert!(zone("Mars/Olympus").unwrap_err().contains("is not a time zone"));
    }

    #[test]
    fn zoned_values_print_their_wall_clock_and_zone() {
        // 1796000000 is 2026-11-30 00:53:20 UTC.
        assert_eq!(
            zoned_text(1_796_000_000_000_000, "America/New_York").unwrap(),
            "2026-11-29 19:53:20.000 America/New_York"
        );
        assert_eq!(zoned_text(1_796_000_000_000_000, "UTC").unwrap(), "2026-11-30 00:53:20.000 UTC");
    }
}
