//! What the embedded engine's own Trino functions share: a scalar function from a name, a
//! signature, a return-type rule and an evaluation over whole argument arrays (`Fun`); and values
//! of nested types taken apart into rows of scalars and put back together (`lists`, `list_of`,
//! `map_of`). The functions themselves live in `nested`, `json` and `pasted`. It must not know
//! about files or tables.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray, new_empty_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

/// The result type of a call, from its argument types; an error here is a planning error that
/// names the function.
pub type Returns = fn(&str, &[DataType]) -> Result<DataType>;
/// The result of a call over whole argument arrays of `rows` rows.
pub type Evaluates = fn(&str, &[ArrayRef], usize) -> Result<ArrayRef>;

/// A scalar function of athq's.
#[derive(Debug)]
pub struct Fun {
    name: &'static str,
    signature: Signature,
    returns: Returns,
    evaluates: Evaluates,
}

/// Functions are told apart by name (a session holds one of each).
impl PartialEq for Fun {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.signature == other.signature
    }
}

impl Eq for Fun {}

impl std::hash::Hash for Fun {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl Fun {
    /// A function taking any of `arities` arguments (of any type: `returns` checks them).
    pub fn udf(name: &'static str, arities: &[usize], returns: Returns, evaluates: Evaluates) -> ScalarUDF {
        let signature = match arities {
            [0] => Signature::nullary(Volatility::Immutable),
            [n] => Signature::any(*n, Volatility::Immutable),
            many => Signature::one_of(
                many.iter().map(|n| TypeSignature::Any(*n)).collect(),
                Volatility::Immutable,
            ),
        };
        ScalarUDF::new_from_impl(Fun { name, signature, returns, evaluates })
    }
}

impl ScalarUDFImpl for Fun {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        (self.returns)(self.name, args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let rows = if scalar { 1 } else { args.number_rows };
        let out = (self.evaluates)(self.name, &arrays, rows)?;
        let want = args.return_field.data_type();
        let out = if out.data_type() != want { cast(&out, want)? } else { out };
        answer(out, scalar)
    }
}

/// A function's answer: one value when every argument was one (`scalar`), else the column.
pub fn answer(out: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    Ok(match scalar {
        true => ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?),
        false => ColumnarValue::Array(out),
    })
}

/// An error in a call, at planning or while running, naming the function.
pub fn fail(name: &str, what: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Execution(format!("{name}: {what}"))
}

/// A planning error naming the function: it was called with arguments it does not take.
pub fn wrong(name: &str, takes: &str, args: &[DataType]) -> DataFusionError {
    let given: Vec<String> = args.iter().map(super::convert::athena_type).collect();
    DataFusionError::Plan(format!(
        "function `{name}` does not take these arguments: it was called as {name}({}); it takes {takes}",
        given.join(", ")
    ))
}

/// The element type of an array type, if it is one (a NULL literal counts as an array of unknown).
pub fn element(t: &DataType) -> Option<DataType> {
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            Some(f.data_type().clone())
        }
        DataType::Null => Some(DataType::Null),
        _ => None,
    }
}

/// The key and value types of a map type.
pub fn map_types(t: &DataType) -> Option<(DataType, DataType)> {
    match t {
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                Some((kv[0].data_type().clone(), kv[1].data_type().clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

pub fn list_type(element: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(element, true)))
}

pub fn map_type(key: DataType, value: DataType) -> DataType {
    let entries = Fields::from(vec![Field::new("key", key, false), Field::new("value", value, true)]);
    DataType::Map(Arc::new(Field::new("entries", DataType::Struct(entries), false)), false)
}

/// One row's array: its elements, or `None` for a NULL array.
pub type ListRow = Option<Vec<ScalarValue>>;

/// An array argument's rows as vectors of scalars.
pub fn lists(a: &ArrayRef) -> Result<Vec<ListRow>> {
    let a = match a.data_type() {
        DataType::Null => return Ok(vec![None; a.len()]),
        DataType::List(_) => a.clone(),
        DataType::LargeList(f) | DataType::FixedSizeList(f, _) => cast(a, &DataType::List(f.clone()))?,
        other => return Err(DataFusionError::Execution(format!("expected an array, not {other}"))),
    };
    let list = a.as_list::<i32>();
    let values = list.values();
    let offsets = list.value_offsets();
    (0..list.len())
        .map(|i| {
            if list.is_null(i) {
                return Ok(None);
            }
            let (from, to) = (offsets[i] as usize, offsets[i + 1] as usize);
            (from..to).map(|j| ScalarValue::try_from_array(values, j)).collect::<Result<Vec<_>>>().map(Some)
        })
        .collect()
}

/// Scalars of one type as an array (an empty one of `t` when there are none).
fn array_of(t: &DataType, values: Vec<ScalarValue>) -> Result<ArrayRef> {
    if values.is_empty() {
        return Ok(new_empty_array(t));
    }
    let values: Vec<ScalarValue> = values
        .into_iter()
        .map(|v| if v.data_type() == *t { Ok(v) } else { v.cast_to(t) })
        .collect::<Result<_>>()?;
    ScalarValue::iter_to_array(values)
}

/// Rows of elements of type `t` as an array-typed column.
pub fn list_of(t: &DataType, rows: Vec<ListRow>) -> Result<ArrayRef> {
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    offsets.push(0i32);
    let mut valid = Vec::with_capacity(rows.len());
    let mut flat = Vec::new();
    for row in rows {
        valid.push(row.is_some());
        flat.extend(row.unwrap_or_default());
        offsets.push(
            i32::try_from(flat.len()).map_err(|_| DataFusionError::Execution("array too large".into()))?,
        );
    }
    let t = if *t == DataType::Null { DataType::Utf8 } else { t.clone() };
    let values = array_of(&t, flat)?;
    Ok(Arc::new(ListArray::try_new(
        Arc::new(Field::new_list_field(t, true)),
        OffsetBuffer::new(offsets.into()),
        values,
        Some(NullBuffer::from(valid)),
    )?))
}

/// One row's map: its entries in order, or `None` for a NULL map.
pub type MapRow = Option<Vec<(ScalarValue, ScalarValue)>>;

/// Rows of entries as a map-typed column.
pub fn map_of(key: &DataType, value: &DataType, rows: Vec<MapRow>) -> Result<ArrayRef> {
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    offsets.push(0i32);
    let mut valid = Vec::with_capacity(rows.len());
    let (mut keys, mut values) = (Vec::new(), Vec::new());
    for row in rows {
        valid.push(row.is_some());
        for (k, v) in row.unwrap_or_default() {
            keys.push(k);
            values.push(v);
        }
        offsets
            .push(i32::try_from(keys.len()).map_err(|_| DataFusionError::Execution("map too large".into()))?);
    }
    let DataType::Map(entries_field, _) = map_type(key.clone(), value.clone()) else { unreachable!() };
    let DataType::Struct(fields) = entries_field.data_type().clone() else { unreachable!() };
    let entries = StructArray::try_new(fields, vec![array_of(key, keys)?, array_of(value, values)?], None)?;
    Ok(Arc::new(MapArray::try_new(
        entries_field,
        OffsetBuffer::new(offsets.into()),
        entries,
        Some(NullBuffer::from(valid)),
        false,
    )?))
}

/// A map argument's rows as entries.
pub fn maps(a: &ArrayRef) -> Result<Vec<MapRow>> {
    if *a.data_type() == DataType::Null {
        return Ok(vec![None; a.len()]);
    }
    let m = a.as_map();
    let (keys, values) = (m.keys(), m.values());
    let offsets = m.value_offsets();
    (0..m.len())
        .map(|i| {
            if m.is_null(i) {
                return Ok(None);
            }
            (offsets[i] as usize..offsets[i + 1] as usize)
                .map(|j| Ok((ScalarValue::try_from_array(keys, j)?, ScalarValue::try_from_array(values, j)?)))
                .collect::<Result<Vec<_>>>()
                .map(Some)
        })
        .collect()
}

/// A column's rows as scalars of type `t` (cast once for the whole column).
pub fn scalars(a: &ArrayRef, t: &DataType) -> Result<Vec<ScalarValue>> {
    let a = if a.data_type() != t && *t != DataType::Null { cast(a, t)? } else { a.clone() };
    (0..a.len()).map(|i| ScalarValue::try_from_array(&a, i)).collect()
}

/// Trino's equality of two non-NULL values of one type (`None` when either is NULL or holds a
/// NULL, as `=` gives).
pub fn equal(a: &ScalarValue, b: &ScalarValue) -> Option<bool> {
    if a.is_null() || b.is_null() {
        return None;
    }
    Some(a == b)
}

/// The wider of two element types, for functions over two arrays or an array and a value.
pub fn common(name: &str, a: &DataType, b: &DataType) -> Result<DataType> {
    use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
    match (a, b) {
        (DataType::Null, t) | (t, DataType::Null) => Ok(t.clone()),
        _ => comparison_coercion(a, b).ok_or_else(|| {
            DataFusionError::Plan(format!(
                "function `{name}`: {} and {} cannot be compared",
                super::convert::athena_type(a),
                super::convert::athena_type(b)
            ))
        }),
    }
}

/// Row `i` of a column as a string, if it is one and not NULL.
pub fn text(a: &ArrayRef, i: usize) -> Option<&str> {
    match a.data_type() {
        DataType::Utf8 => (!a.is_null(i)).then(|| a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => (!a.is_null(i)).then(|| a.as_string::<i64>().value(i)),
        DataType::Utf8View => (!a.is_null(i)).then(|| a.as_string_view().value(i)),
        _ => None,
    }
}

/// Whether a type is a string type (or a NULL literal).
pub fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

/// A column cast to 64-bit integers (a NULL literal becomes NULLs).
pub fn ints(name: &str, a: &ArrayRef) -> Result<datafusion::arrow::array::Int64Array> {
    let c = cast(a, &DataType::Int64).map_err(|e| fail(name, e))?;
    Ok(c.as_primitive::<datafusion::arrow::datatypes::Int64Type>().clone())
}

/// Whether a type is an integer type (or a NULL literal).
pub fn is_int(t: &DataType) -> bool {
    t.is_integer() || *t == DataType::Null
}

/// The SQL statement inside a DataFusion statement (under any EXPLAIN), for the passes that
/// rewrite or check it.
pub fn sql_mut(
    statement: &mut datafusion::sql::parser::Statement,
) -> Option<&mut datafusion::sql::sqlparser::ast::Statement> {
    use datafusion::sql::parser::Statement;
    match statement {
        Statement::Statement(s) => Some(s.as_mut()),
        Statement::Explain(e) => sql_mut(e.statement.as_mut()),
        _ => None,
    }
}

/// `sql_mut`, to read.
pub fn sql_of(
    statement: &datafusion::sql::parser::Statement,
) -> Option<&datafusion::sql::sqlparser::ast::Statement> {
    use datafusion::sql::parser::Statement;
    match statement {
        Statement::Statement(s) => Some(s.as_ref()),
        Statement::Explain(e) => sql_of(e.statement.as_ref()),
        _ => None,
    }
}

/// A function call in a statement's syntax tree, for the rewrites.
pub fn sql_call(
    name: &str,
    args: Vec<datafusion::sql::sqlparser::ast::Expr>,
) -> datafusion::sql::sqlparser::ast::Expr {
    use datafusion::sql::sqlparser::ast::{
        self as ast, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments,
    };
    ast::Expr::Function(ast::Function {
        name: ast::ObjectName::from(vec![ast::Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// The columns a plan node's expressions read: its inputs' schemas, merged.
pub fn input_schema(node: &datafusion::logical_expr::LogicalPlan) -> datafusion::common::DFSchema {
    let mut schema = datafusion::common::DFSchema::empty();
    for input in node.inputs() {
        schema.merge(input.schema());
    }
    schema
}
