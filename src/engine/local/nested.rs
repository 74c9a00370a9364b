//! Trino's arrays and maps on the embedded engine, with Trino's semantics where DataFusion's
//! namesakes differ: 1-based indices; `a[i]` past the end, or a missing map key, is an error while
//! `element_at` gives NULL; `contains(array, x)` (next to the CIDR `contains`);
//! `array_position` gives 0 when absent; `array_remove` removes every match; `array_sort` puts
//! NULLs last; `array_max` of an array holding NULL is NULL; `array_distinct` keeps first
//! occurrences in order; `sequence` counts down when it starts above its end; `slice` takes a
//! length; `split` keeps empty parts. `TrinoAccess` plans `a[i]` and `m[k]` before DataFusion's
//! own planner. `FUNCTIONS` lists them for the README. It must not know about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, Int64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawFieldAccessExpr};
use datafusion::logical_expr::{Expr, ExprSchemable, GetFieldAccess, ScalarUDF};
use datafusion::prelude::SessionContext;

use super::fun::{
    Fun, ListRow, common, element, equal, fail, ints, is_int, is_text, list_of, list_type, lists, map_of,
    map_type, map_types, maps, scalars, text, wrong,
};

/// Every function this module adds, with what it does, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("ARRAY[…]", "an array literal; `a[1]` is its first element, and an index past the end is an error"),
    ("m['key']", "a map's value for a key; a missing key is an error"),
    ("cardinality", "how many elements an array or entries a map has"),
    ("contains", "`contains(array, x)`: whether the array holds x (NULL when it holds NULL and not x)"),
    (
        "element_at",
        "`element_at(array, i)` (negative counts from the end) or `element_at(map, key)`; NULL when absent",
    ),
    ("array_distinct", "the array without repeats, first occurrences in order"),
    ("array_except", "`array_except(x, y)`: x's elements not in y, without repeats"),
    ("array_intersect", "`array_intersect(x, y)`: x's elements also in y, without repeats"),
    ("array_union", "`array_union(x, y)`: the elements of both, without repeats"),
    ("arrays_overlap", "`arrays_overlap(x, y)`: whether they share a non-NULL element"),
    (
        "array_join",
        "`array_join(array, sep[, null_text])`: the elements as text; NULLs left out unless replaced",
    ),
    ("array_max", "the largest element; NULL if any is NULL"),
    ("array_min", "the smallest element; NULL if any is NULL"),
    (
        "array_position",
        "`array_position(array, x)`: the 1-based position of x's first occurrence, 0 if absent",
    ),
    ("array_remove", "`array_remove(array, x)`: the array without any x"),
    ("array_sort", "ascending, NULLs last"),
    ("flatten", "an array of arrays as one array"),
    ("repeat", "`repeat(x, n)`: an array of n x's"),
    ("reverse", "a string or an array, reversed"),
    ("sequence", "`sequence(start, stop[, step])`: whole numbers from start to stop, both included"),
    ("slice", "`slice(array, start, length)`: length elements from start (negative counts from the end)"),
    ("split", "`split(text, sep[, limit])`: the parts as an array, empty ones kept"),
    ("split_to_map", "`split_to_map(text, entry_sep, key_sep)`: `a=1&b=2` as a map"),
    ("regexp_extract_all", "`regexp_extract_all(text, pattern[, group])`: every match, as an array"),
    ("regexp_split", "`regexp_split(text, pattern)`: the parts between matches, as an array"),
    ("trim_array", "`trim_array(array, n)`: the array without its last n elements"),
    ("map", "`map(ARRAY[keys], ARRAY[values])` (or `map()`) as a map"),
    ("map_keys", "a map's keys, as an array"),
    ("map_values", "a map's values, as an array"),
];

/// Registers the functions on a session, replacing DataFusion's namesakes, and gives
/// DataFusion's lambda functions Trino's names (`transform`, `filter`; `any_match` has it).
pub fn register(ctx: &SessionContext) {
    let lambdas = ctx.state().higher_order_functions().clone();
    for (theirs, trinos) in [("array_transform", "transform"), ("array_filter", "filter")] {
        if let Some(f) = lambdas.get(theirs) {
            ctx.register_higher_order_function(Arc::new(f.as_ref().clone().with_aliases([trinos])));
        }
    }
    for f in [
        Fun::udf("element_at", &[2], element_at_type, element_at),
        Fun::udf("cardinality", &[1], cardinality_type, cardinality),
        Fun::udf("array_distinct", &[1], same_array, array_distinct),
        Fun::udf("array_except", &[2], two_arrays, array_except),
        Fun::udf("array_intersect", &[2], two_arrays, array_intersect),
        Fun::udf("array_union", &[2], two_arrays, array_union),
        Fun::udf("arrays_overlap", &[2], two_arrays_bool, arrays_overlap),
        Fun::udf("array_join", &[2, 3], array_join_type, array_join),
        Fun::udf("array_max", &[1], element_of_array, array_max),
        Fun::udf("array_min", &[1], element_of_array, array_min),
        Fun::udf("array_position", &[2], position_type, array_position),
        Fun::udf("array_remove", &[2], array_and_value, array_remove),
        Fun::udf("array_sort", &[1], same_array, array_sort),
        Fun::udf("flatten", &[1], flatten_type, flatten),
        Fun::udf("repeat", &[2], repeat_type, repeat),
        Fun::udf("reverse", &[1], reverse_type, reverse),
        Fun::udf("sequence", &[2, 3], sequence_type, sequence),
        Fun::udf("slice", &[3], slice_type, slice),
        Fun::udf("split", &[2, 3], split_type, split),
        Fun::udf("split_to_map", &[3], split_to_map_type, split_to_map),
        Fun::udf("regexp_extract_all", &[2, 3], regexp_all_type, regexp_extract_all),
        Fun::udf("regexp_split", &[2], split_type, regexp_split),
        Fun::udf("trim_array", &[2], trim_array_type, trim_array),
    ] {
        ctx.register_udf(f);
    }
}

/// Plans `a[i]` on arrays and `m[k]` on maps as Trino has them (an error past the end, or for a
/// missing key), before DataFusion's planner (which gives NULL); field access is left to it.
/// `SUBSTRING(s FROM a FOR b)` and `substr` go to Trino's `substr` (the second function).
#[derive(Debug)]
pub struct TrinoAccess(pub Arc<ScalarUDF>, pub Arc<ScalarUDF>);

impl ExprPlanner for TrinoAccess {
    /// `EXTRACT(HOUR FROM ts)` as `hour(ts)`: Trino's parts, read in a zoned value's zone.
    fn plan_extract(&self, args: Vec<Expr>) -> Result<PlannerResult<Vec<Expr>>> {
        let field = match args.first() {
            Some(Expr::Literal(ScalarValue::Utf8(Some(f)), _)) => f.to_ascii_lowercase(),
            _ => return Ok(PlannerResult::Original(args)),
        };
        let name = match field.as_str() {
            "year" | "quarter" | "month" | "week" | "day" | "hour" | "minute" | "second" => field.clone(),
            "dow" | "day_of_week" => "day_of_week".into(),
            "doy" | "day_of_year" => "day_of_year".into(),
            _ => return Ok(PlannerResult::Original(args)),
        };
        Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(
            Arc::new(super::trino::part_udf(&name)),
            vec![args[1].clone()],
        ))))
    }

    fn plan_substring(&self, args: Vec<Expr>) -> Result<PlannerResult<Vec<Expr>>> {
        Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(self.1.clone(), args))))
    }

    fn plan_field_access(
        &self,
        expr: RawFieldAccessExpr,
        schema: &DFSchema,
    ) -> Result<PlannerResult<RawFieldAccessExpr>> {
        let RawFieldAccessExpr { expr, field_access } = expr;
        match field_access {
            GetFieldAccess::ListIndex { key }
                if matches!(
                    expr.get_type(schema)?,
                    DataType::List(_)
                        | DataType::LargeList(_)
                        | DataType::FixedSizeList(..)
                        | DataType::Map(..)
                ) =>
            {
                Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(
                    self.0.clone(),
                    vec![expr, *key],
                ))))
            }
            // `m['key']` reaches here as a field name.
            GetFieldAccess::NamedStructField { name }
                if matches!(expr.get_type(schema)?, DataType::Map(..)) =>
            {
                Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(
                    self.0.clone(),
                    vec![expr, Expr::Literal(name, None)],
                ))))
            }
            GetFieldAccess::ListRange { .. } => Err(datafusion::common::DataFusionError::Plan(
                "`a[i:j]` is not Trino SQL: use slice(a, start, length)".into(),
            )),
            field_access => Ok(PlannerResult::Original(RawFieldAccessExpr { expr, field_access })),
        }
    }
}

/// The function the planner gives `a[i]` and `m[k]`.
pub fn subscript_udf() -> Arc<ScalarUDF> {
    Arc::new(Fun::udf("subscript", &[2], element_at_type, subscript))
}

fn element_at_type(name: &str, args: &[DataType]) -> Result<DataType> {
    if let Some(t) = element(&args[0])
        && is_int(&args[1])
    {
        return Ok(t);
    }
    if let Some((_, v)) = map_types(&args[0]) {
        return Ok(v);
    }
    Err(wrong(name, "an array and a position, or a map and a key", args))
}

/// `element_at` and the subscript: `strict` (the subscript) fails where `element_at` gives NULL.
fn at(name: &str, a: &[ArrayRef], rows: usize, strict: bool) -> Result<ArrayRef> {
    if let Some((kt, vt)) = map_types(a[0].data_type()) {
        let (ms, keys) = (maps(&a[0])?, scalars(&a[1], &kt)?);
        let mut out = Vec::with_capacity(rows);
        for (m, k) in ms.into_iter().zip(keys) {
            let (Some(m), false) = (m, k.is_null()) else {
                out.push(ScalarValue::try_from(&vt)?);
                continue;
            };
            match m.into_iter().find(|(key, _)| *key == k) {
                Some((_, v)) => out.push(v),
                None if strict => return Err(fail(name, format!("key not present in map: {k}"))),
                None => out.push(ScalarValue::try_from(&vt)?),
            }
        }
        return scalar_column(&vt, out);
    }
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let (arrays, index) = (lists(&a[0])?, ints(name, &a[1])?);
    let mut out = Vec::with_capacity(rows);
    for (i, row) in arrays.into_iter().enumerate() {
        let (Some(row), false) = (row, index.is_null(i)) else {
            out.push(ScalarValue::try_from(&t)?);
            continue;
        };
        let n = index.value(i);
        let len = row.len() as i64;
        let pos = match n {
            0 => return Err(fail(name, "SQL array indices start at 1")),
            n if n < 0 && strict => return Err(fail(name, format!("array subscript is negative: {n}"))),
            n if n > len && strict => {
                return Err(fail(
                    name,
                    format!("array subscript must be less than or equal to array length: {n} > {len}"),
                ));
            }
            n if n > 0 => n - 1,
            n => len + n,
        };
        match usize::try_from(pos).ok().and_then(|p| row.get(p)) {
            Some(v) => out.push(v.clone()),
            None => out.push(ScalarValue::try_from(&t)?),
        }
    }
    scalar_column(&t, out)
}

fn scalar_column(t: &DataType, values: Vec<ScalarValue>) -> Result<ArrayRef> {
    if values.is_empty() {
        return Ok(datafusion::arrow::array::new_empty_array(t));
    }
    let values: Vec<ScalarValue> = values
        .into_iter()
        .map(|v| if v.data_type() == *t || *t == DataType::Null { Ok(v) } else { v.cast_to(t) })
        .collect::<Result<_>>()?;
    ScalarValue::iter_to_array(values)
}

fn element_at(name: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    at(name, a, rows, false)
}

fn subscript(_: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    at("subscript", a, rows, true)
}

fn cardinality_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match element(&args[0]).is_some() || map_types(&args[0]).is_some() {
        true => Ok(DataType::Int64),
        false => Err(wrong(name, "an array or a map", args)),
    }
}

fn cardinality(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let counts: Vec<Option<i64>> = match map_types(a[0].data_type()) {
        Some(_) => maps(&a[0])?.into_iter().map(|m| m.map(|m| m.len() as i64)).collect(),
        None => lists(&a[0])?.into_iter().map(|l| l.map(|l| l.len() as i64)).collect(),
    };
    Ok(Arc::new(Int64Array::from(counts)))
}

/// An array and a value of its elements' type: the type both are compared in.
fn array_and_value_types(name: &str, args: &[DataType], takes: &str) -> Result<DataType> {
    let Some(t) = element(&args[0]) else { return Err(wrong(name, takes, args)) };
    common(name, &t, &args[1])
}

fn array_and_value(name: &str, args: &[DataType]) -> Result<DataType> {
    array_and_value_types(name, args, "an array and a value").map(list_type)
}

fn position_type(name: &str, args: &[DataType]) -> Result<DataType> {
    array_and_value_types(name, args, "an array and a value")?;
    Ok(DataType::Int64)
}

/// An array's rows and a value's, both as scalars of the type they compare in.
fn array_and_values(a: &[ArrayRef]) -> Result<(Vec<ListRow>, Vec<ScalarValue>, DataType)> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let t = common("", &t, a[1].data_type())?;
    let rows = lists(&datafusion::arrow::compute::kernels::cast::cast(&a[0], &list_type(t.clone()))?)?;
    Ok((rows, scalars(&a[1], &t)?, t))
}

/// `f` over each row's array and value; NULL where either is (removing or finding NULL gives
/// NULL, as on Trino).
fn with_value<T>(
    a: &[ArrayRef],
    f: impl Fn(Vec<ScalarValue>, &ScalarValue) -> Option<T>,
) -> Result<(Vec<Option<T>>, DataType)> {
    let (rows, values, t) = array_and_values(a)?;
    let out =
        rows.into_iter().zip(values).map(|(row, x)| if x.is_null() { None } else { f(row?, &x) }).collect();
    Ok((out, t))
}

/// Trino's `contains(array, x)`: NULL when x is NULL, or when it is absent and the array holds a NULL.
pub fn array_contains(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (out, _) = with_value(a, |row, x| {
        let mut unknown = false;
        for e in &row {
            match equal(e, x) {
                Some(true) => return Some(true),
                None => unknown = true,
                Some(false) => {}
            }
        }
        if unknown { None } else { Some(false) }
    })?;
    Ok(Arc::new(BooleanArray::from(out)))
}

fn array_position(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (out, _) = with_value(a, |row, x| {
        Some(row.iter().position(|e| equal(e, x) == Some(true)).map_or(0, |p| p as i64 + 1))
    })?;
    Ok(Arc::new(Int64Array::from(out)))
}

fn array_remove(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    // NULL elements stay.
    let (out, t) =
        with_value(a, |row, x| Some(row.into_iter().filter(|e| equal(e, x) != Some(true)).collect()))?;
    list_of(&t, out)
}

fn same_array(name: &str, args: &[DataType]) -> Result<DataType> {
    match element(&args[0]) {
        Some(t) => Ok(list_type(t)),
        None => Err(wrong(name, "an array", args)),
    }
}

fn element_of_array(name: &str, args: &[DataType]) -> Result<DataType> {
    element(&args[0]).ok_or_else(|| wrong(name, "an array", args))
}

/// The first occurrence of each value, in order (NULL counts once).
fn distinct(row: Vec<ScalarValue>) -> Vec<ScalarValue> {
    let mut out: Vec<ScalarValue> = Vec::with_capacity(row.len());
    for v in row {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn array_distinct(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    list_of(&t, lists(&a[0])?.into_iter().map(|r| r.map(distinct)).collect())
}

fn array_sort(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let sorted = lists(&a[0])?
        .into_iter()
        .map(|r| {
            r.map(|mut r| {
                // Ascending, NULLs last; values of one type are always comparable.
                r.sort_by(|x, y| match (x.is_null(), y.is_null()) {
                    (true, true) => std::cmp::Ordering::Equal,
                    (true, false) => std::cmp::Ordering::Greater,
                    (false, true) => std::cmp::Ordering::Less,
                    _ => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
                });
                r
            })
        })
        .collect();
    list_of(&t, sorted)
}

fn extreme(a: &[ArrayRef], greatest: bool) -> Result<ArrayRef> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let out = lists(&a[0])?
        .into_iter()
        .map(|r| {
            let null = ScalarValue::try_from(&t)?;
            let Some(r) = r else { return Ok(null) };
            if r.iter().any(ScalarValue::is_null) {
                return Ok(null);
            }
            let best = r.into_iter().reduce(|x, y| {
                let keep_x = match x.partial_cmp(&y) {
                    Some(std::cmp::Ordering::Greater) => greatest,
                    Some(std::cmp::Ordering::Less) => !greatest,
                    _ => true,
                };
                if keep_x { x } else { y }
            });
            Ok(best.unwrap_or(null))
        })
        .collect::<Result<Vec<_>>>()?;
    scalar_column(&t, out)
}

fn array_max(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    extreme(a, true)
}

fn array_min(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    extreme(a, false)
}

fn two_arrays(name: &str, args: &[DataType]) -> Result<DataType> {
    let (Some(x), Some(y)) = (element(&args[0]), element(&args[1])) else {
        return Err(wrong(name, "two arrays", args));
    };
    common(name, &x, &y).map(list_type)
}

fn two_arrays_bool(name: &str, args: &[DataType]) -> Result<DataType> {
    two_arrays(name, args).map(|_| DataType::Boolean)
}

/// Two array arguments as rows of one element type.
fn pairs(a: &[ArrayRef]) -> Result<(Vec<ListRow>, Vec<ListRow>, DataType)> {
    let x = element(a[0].data_type()).unwrap_or(DataType::Null);
    let y = element(a[1].data_type()).unwrap_or(DataType::Null);
    let t = common("", &x, &y)?;
    let cast = |c: &ArrayRef| datafusion::arrow::compute::kernels::cast::cast(c, &list_type(t.clone()));
    Ok((lists(&cast(&a[0])?)?, lists(&cast(&a[1])?)?, t))
}

fn set_op(
    a: &[ArrayRef],
    op: fn(Vec<ScalarValue>, Vec<ScalarValue>) -> Vec<ScalarValue>,
) -> Result<ArrayRef> {
    let (xs, ys, t) = pairs(a)?;
    let out = xs.into_iter().zip(ys).map(|(x, y)| Some(op(x?, y?))).collect();
    list_of(&t, out)
}

fn array_except(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    set_op(a, |x, y| distinct(x.into_iter().filter(|v| !y.contains(v)).collect()))
}

fn array_intersect(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    set_op(a, |x, y| distinct(x.into_iter().filter(|v| y.contains(v)).collect()))
}

fn array_union(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    set_op(a, |x, y| distinct(x.into_iter().chain(y).collect()))
}

fn arrays_overlap(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let (xs, ys, _) = pairs(a)?;
    let out: BooleanArray = xs
        .into_iter()
        .zip(ys)
        .map(|(x, y)| {
            let (x, y) = (x?, y?);
            if x.iter().any(|v| !v.is_null() && y.contains(v)) {
                return Some(true);
            }
            let holds_null = x.iter().chain(&y).any(ScalarValue::is_null);
            if holds_null { None } else { Some(false) }
        })
        .collect();
    Ok(Arc::new(out))
}

fn array_join_type(name: &str, args: &[DataType]) -> Result<DataType> {
    let takes = "an array, a separator and optionally a text for NULLs";
    let Some(t) = element(&args[0]) else { return Err(wrong(name, takes, args)) };
    if !args[1..].iter().all(is_text) {
        return Err(wrong(name, takes, args));
    }
    // Trino writes a double as `1.5E0` and a nested value not at all: refused, not answered differently.
    if t.is_floating() || t.is_nested() || matches!(t, DataType::Decimal128(..)) {
        return Err(datafusion::common::DataFusionError::Plan(format!(
            "array_join over array({}) is not supported on the embedded engine (Trino writes such \
             elements differently): CAST the elements to varchar first",
            super::convert::athena_type(&t)
        )));
    }
    Ok(DataType::Utf8)
}

fn array_join(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let texts = datafusion::arrow::compute::kernels::cast::cast(&a[0], &list_type(DataType::Utf8))?;
    let rows_of = lists(&texts)?;
    let sep = super::fun::scalars(&a[1], &DataType::Utf8)?;
    let nulls = match a.get(2) {
        Some(n) => Some(super::fun::scalars(n, &DataType::Utf8)?),
        None => None,
    };
    let out: datafusion::arrow::array::StringArray = rows_of
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let row = row?;
            let ScalarValue::Utf8(Some(sep)) = &sep[i] else { return None };
            let replacement = match &nulls {
                Some(n) => match &n[i] {
                    ScalarValue::Utf8(Some(r)) => Some(r.as_str()),
                    _ => return None,
                },
                None => None,
            };
            let parts: Vec<&str> = row
                .iter()
                .filter_map(|v| match v {
                    ScalarValue::Utf8(Some(s)) => Some(s.as_str()),
                    _ => replacement,
                })
                .collect();
            Some(parts.join(sep))
        })
        .collect();
    Ok(Arc::new(out))
}

fn flatten_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match element(&args[0]).as_ref().and_then(element) {
        Some(t) => Ok(list_type(t)),
        None => Err(wrong(name, "an array of arrays", args)),
    }
}

fn flatten(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let inner = element(a[0].data_type()).unwrap_or(DataType::Null);
    let t = element(&inner).unwrap_or(DataType::Null);
    let out = lists(&a[0])?
        .into_iter()
        .map(|row| {
            let Some(row) = row else { return Ok(None) };
            let mut flat = Vec::new();
            for inner in row {
                // NULL inner arrays are left out, as Trino does.
                if let ScalarValue::List(l) = inner {
                    let l: ArrayRef = l;
                    for r in lists(&l)?.into_iter().flatten() {
                        flat.extend(r);
                    }
                }
            }
            Ok(Some(flat))
        })
        .collect::<Result<Vec<_>>>()?;
    list_of(&t, out)
}

fn repeat_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match is_int(&args[1]) {
        true => Ok(list_type(args[0].clone())),
        false => Err(wrong(name, "a value and a count", args)),
    }
}

fn repeat(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let t = a[0].data_type().clone();
    let (values, counts) = (scalars(&a[0], &t)?, ints(name, &a[1])?);
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        if counts.is_null(i) {
            out.push(None);
            continue;
        }
        let n = counts.value(i);
        if !(0..=10_000).contains(&n) {
            return Err(fail(name, format!("count must be between 0 and 10000, not {n}")));
        }
        out.push(Some(vec![v; n as usize]));
    }
    list_of(&t, out)
}

fn reverse_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match &args[0] {
        t if is_text(t) => Ok(DataType::Utf8),
        t => same_array(name, std::slice::from_ref(t)).map_err(|_| wrong(name, "a string or an array", args)),
    }
}

fn reverse(_: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    if is_text(a[0].data_type()) {
        let out: datafusion::arrow::array::StringArray =
            (0..a[0].len()).map(|i| text(&a[0], i).map(|s| s.chars().rev().collect::<String>())).collect();
        return Ok(Arc::new(out));
    }
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    list_of(
        &t,
        lists(&a[0])?
            .into_iter()
            .map(|r| {
                r.map(|mut r| {
                    r.reverse();
                    r
                })
            })
            .collect(),
    )
}

fn sequence_type(_: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_int) {
        true => Ok(list_type(DataType::Int64)),
        false => Err(datafusion::common::DataFusionError::Plan(format!(
            "sequence over {} is not supported on the embedded engine: it takes whole numbers here \
             (Trino's date and timestamp sequences are not reproduced)",
            args.iter().map(super::convert::athena_type).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn sequence(name: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let (start, stop) = (ints(name, &a[0])?, ints(name, &a[1])?);
    let step = a.get(2).map(|s| ints(name, s)).transpose()?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..start.len() {
        if start.is_null(i) || stop.is_null(i) || step.as_ref().is_some_and(|s| s.is_null(i)) {
            out.push(None);
            continue;
        }
        let (from, to) = (start.value(i), stop.value(i));
        let by = match &step {
            Some(s) => s.value(i),
            None if to >= from => 1,
            None => -1,
        };
        if by == 0 {
            return Err(fail(name, "step must not be zero"));
        }
        if (by > 0 && to < from) || (by < 0 && to > from) {
            return Err(fail(
                name,
                "sequence stop value should be greater than or equal to start value if step is greater than \
                 zero otherwise stop should be less than or equal to start",
            ));
        }
        let count = (i128::from(to) - i128::from(from)) / i128::from(by) + 1;
        if count > 10_000 {
            return Err(fail(name, "result of sequence function must not have more than 10000 entries"));
        }
        out.push(Some((0..count as i64).map(|k| ScalarValue::Int64(Some(from + k * by))).collect()));
    }
    list_of(&DataType::Int64, out)
}

fn slice_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match (element(&args[0]), is_int(&args[1]) && is_int(&args[2])) {
        (Some(t), true) => Ok(list_type(t)),
        _ => Err(wrong(name, "an array, a start and a length", args)),
    }
}

fn slice(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let (starts, lengths) = (ints(name, &a[1])?, ints(name, &a[2])?);
    let mut out = Vec::new();
    for (i, row) in lists(&a[0])?.into_iter().enumerate() {
        let (Some(row), false, false) = (row, starts.is_null(i), lengths.is_null(i)) else {
            out.push(None);
            continue;
        };
        let (start, length) = (starts.value(i), lengths.value(i));
        if start == 0 {
            return Err(fail(name, "SQL array indices start at 1"));
        }
        if length < 0 {
            return Err(fail(name, format!("length must be greater than or equal to 0, not {length}")));
        }
        let len = row.len() as i64;
        let from = if start > 0 { start - 1 } else { len + start };
        if from < 0 || from >= len {
            out.push(Some(vec![]));
            continue;
        }
        let to = (from + length).min(len);
        out.push(Some(row[from as usize..to as usize].to_vec()));
    }
    list_of(&t, out)
}

fn trim_array_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match (element(&args[0]), is_int(&args[1])) {
        (Some(t), true) => Ok(list_type(t)),
        _ => Err(wrong(name, "an array and a count", args)),
    }
}

fn trim_array(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let t = element(a[0].data_type()).unwrap_or(DataType::Null);
    let counts = ints(name, &a[1])?;
    let mut out = Vec::new();
    for (i, row) in lists(&a[0])?.into_iter().enumerate() {
        let (Some(mut row), false) = (row, counts.is_null(i)) else {
            out.push(None);
            continue;
        };
        let n = counts.value(i);
        if n < 0 || n as usize > row.len() {
            return Err(fail(
                name,
                format!("size must be between 0 and the array's length ({}), not {n}", row.len()),
            ));
        }
        row.truncate(row.len() - n as usize);
        out.push(Some(row));
    }
    list_of(&t, out)
}

fn split_type(name: &str, args: &[DataType]) -> Result<DataType> {
    let ok = is_text(&args[0]) && is_text(&args[1]) && args.get(2).is_none_or(is_int);
    match ok {
        true => Ok(list_type(DataType::Utf8)),
        false => Err(wrong(name, "a string, a separator and optionally a limit", args)),
    }
}

fn split(name: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let limits = a.get(2).map(|l| ints(name, l)).transpose()?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..a[0].len() {
        let (Some(s), Some(sep)) = (text(&a[0], i), text(&a[1], i)) else {
            out.push(None);
            continue;
        };
        if sep.is_empty() {
            return Err(fail(name, "the separator must not be empty"));
        }
        let parts: Vec<ScalarValue> = match &limits {
            Some(l) if l.is_null(i) => {
                out.push(None);
                continue;
            }
            Some(l) => {
                let n = l.value(i);
                if n <= 0 {
                    return Err(fail(name, "limit must be positive"));
                }
                s.splitn(n as usize, sep).map(|p| ScalarValue::Utf8(Some(p.into()))).collect()
            }
            None => s.split(sep).map(|p| ScalarValue::Utf8(Some(p.into()))).collect(),
        };
        out.push(Some(parts));
    }
    list_of(&DataType::Utf8, out)
}

fn split_to_map_type(name: &str, args: &[DataType]) -> Result<DataType> {
    match args.iter().all(is_text) {
        true => Ok(map_type(DataType::Utf8, DataType::Utf8)),
        false => Err(wrong(name, "a string, an entry separator and a key separator", args)),
    }
}

fn split_to_map(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let mut out = Vec::new();
    for i in 0..a[0].len() {
        let (Some(s), Some(entry), Some(kv)) = (text(&a[0], i), text(&a[1], i), text(&a[2], i)) else {
            out.push(None);
            continue;
        };
        if entry.is_empty() || kv.is_empty() {
            return Err(fail(name, "the separators must not be empty"));
        }
        let mut m: Vec<(ScalarValue, ScalarValue)> = Vec::new();
        // A trailing entry separator ends the text, as Trino reads it.
        let body = s.strip_suffix(entry).unwrap_or(s);
        if !s.is_empty() {
            for e in body.split(entry) {
                let Some((k, v)) = e.split_once(kv) else {
                    return Err(fail(
                        name,
                        format!(
                            "key-value delimiter must appear exactly once in each entry. Bad input: '{e}'"
                        ),
                    ));
                };
                if v.contains(kv) {
                    return Err(fail(
                        name,
                        format!(
                            "key-value delimiter must appear exactly once in each entry. Bad input: '{e}'"
                        ),
                    ));
                }
                let key = ScalarValue::Utf8(Some(k.into()));
                if m.iter().any(|(x, _)| *x == key) {
                    return Err(fail(name, format!("duplicate keys ({k}) are not allowed")));
                }
                m.push((key, ScalarValue::Utf8(Some(v.into()))));
            }
        }
        out.push(Some(m));
    }
    map_of(&DataType::Utf8, &DataType::Utf8, out)
}

fn regexp_all_type(name: &str, args: &[DataType]) -> Result<DataType> {
    let ok = is_text(&args[0]) && is_text(&args[1]) && args.get(2).is_none_or(is_int);
    match ok {
        true => Ok(list_type(DataType::Utf8)),
        false => Err(wrong(name, "a string, a pattern and optionally a group", args)),
    }
}

/// A compiled pattern, kept while the pattern stays the same (it is almost always a constant).
fn compiled<'a>(
    name: &str,
    cache: &'a mut Option<(String, regex::Regex)>,
    p: &str,
) -> Result<&'a regex::Regex> {
    if cache.as_ref().is_none_or(|(q, _)| q != p) {
        *cache = Some((p.to_string(), regex::Regex::new(p).map_err(|e| fail(name, e))?));
    }
    Ok(&cache.as_ref().expect("just set").1)
}

fn regexp_extract_all(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let groups = a.get(2).map(|g| ints(name, g)).transpose()?;
    let mut cache = None;
    let mut out = Vec::new();
    for i in 0..a[0].len() {
        let (Some(s), Some(p)) = (text(&a[0], i), text(&a[1], i)) else {
            out.push(None);
            continue;
        };
        let g = match &groups {
            Some(g) if g.is_null(i) => {
                out.push(None);
                continue;
            }
            Some(g) => g.value(i),
            None => 0,
        };
        let re = compiled(name, &mut cache, p)?;
        if g < 0 || g as usize >= re.captures_len() {
            return Err(fail(
                name,
                format!("pattern has {} groups. Cannot access group {g}", re.captures_len() - 1),
            ));
        }
        out.push(Some(
            re.captures_iter(s)
                .map(|c| ScalarValue::Utf8(c.get(g as usize).map(|m| m.as_str().to_string())))
                .collect(),
        ));
    }
    list_of(&DataType::Utf8, out)
}

fn regexp_split(name: &str, a: &[ArrayRef], _: usize) -> Result<ArrayRef> {
    let mut cache = None;
    let mut out = Vec::new();
    for i in 0..a[0].len() {
        let (Some(s), Some(p)) = (text(&a[0], i), text(&a[1], i)) else {
            out.push(None);
            continue;
        };
        let re = compiled(name, &mut cache, p)?;
        out.push(Some(re.split(s).map(|p| ScalarValue::Utf8(Some(p.to_string()))).collect()));
    }
    list_of(&DataType::Utf8, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keeps_first_occurrences_in_order() {
        let v = |n: i64| ScalarValue::Int64(Some(n));
        assert_eq!(distinct(vec![v(3), v(1), v(3), v(2), v(1)]), vec![v(3), v(1), v(2)]);
    }
}
