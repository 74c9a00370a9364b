//! Trino's `UNNEST` in FROM, in the form DataFusion plans. DataFusion's UNNEST in FROM cannot
//! see the columns of the tables before it, so `FROM t CROSS JOIN UNNEST(t.ports) AS u(port)`
//! (or `FROM t, UNNEST(…)`) becomes `FROM (SELECT t.*, unnest(t.ports) AS port FROM t) AS t`,
//! with `u.port` read as `t.port`. A map's UNNEST gives its keys and values, an array of rows
//! its fields, and `WITH ORDINALITY` each element's 1-based position; several arrays are read
//! side by side, the shorter padded with NULLs, as on Trino. What cannot be rewritten (an UNNEST
//! after a join, LEFT JOIN UNNEST) is refused, naming it. It must not know about files or tables.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    self as ast, Expr, Ident, JoinConstraint, JoinOperator, Query, SetExpr, TableFactor, TableWithJoins,
    VisitorMut,
};
use datafusion::sql::sqlparser::dialect::GenericDialect;
use datafusion::sql::sqlparser::parser::Parser;

use super::fun::{Fun, element, list_of, list_type, lists, map_types, maps};

/// Registers the two functions the rewritten statements call.
pub fn register(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(UnnestPart {
        signature: Signature::any(2, Volatility::Immutable),
    }));
    ctx.register_udf(Fun::udf("unnest_ordinals", &[1, 2, 3, 4, 5, 6, 7, 8], ordinals_type, ordinals));
}

/// Rewrites every UNNEST in FROM of the statement that DataFusion would not plan as Trino does.
pub fn rewrite(statement: &mut datafusion::sql::parser::Statement) -> Result<()> {
    let Some(statement) = super::fun::sql_mut(statement) else { return Ok(()) };
    let mut v = Rewriter { error: None };
    let _ = ast::VisitMut::visit(statement, &mut v);
    match v.error {
        Some(e) => Err(DataFusionError::Plan(e)),
        None => Ok(()),
    }
}

struct Rewriter {
    error: Option<String>,
}

impl VisitorMut for Rewriter {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let mut renames = Vec::new();
        if let Err(e) = rewrite_set(&mut query.body, &mut renames) {
            self.error.get_or_insert(e);
            return ControlFlow::Break(());
        }
        if !renames.is_empty() {
            // `u.port` is now a column of the relation before the UNNEST, in ORDER BY too.
            let _ = ast::visit_expressions_mut(query, |e| {
                if let Expr::CompoundIdentifier(parts) = e
                    && parts.len() == 2
                    && let Some((_, to)) = renames.iter().find(|(from, _)| same(from, &parts[0]))
                {
                    parts[0] = to.clone();
                }
                ControlFlow::<()>::Continue(())
            });
        }
        ControlFlow::Continue(())
    }
}

fn rewrite_set(body: &mut SetExpr, renames: &mut Vec<(Ident, Ident)>) -> std::result::Result<(), String> {
    match body {
        SetExpr::Select(select) => rewrite_select(select, renames),
        SetExpr::SetOperation { left, right, .. } => {
            rewrite_set(left, renames)?;
            rewrite_set(right, renames)
        }
        _ => Ok(()),
    }
}

fn is_unnest(f: &TableFactor) -> bool {
    matches!(f, TableFactor::UNNEST { .. })
}

fn rewrite_select(
    select: &mut ast::Select,
    renames: &mut Vec<(Ident, Ident)>,
) -> std::result::Result<(), String> {
    // `FROM t, UNNEST(…)`: the comma is a CROSS JOIN that sees t's columns.
    let mut k = 1;
    while k < select.from.len() {
        if is_unnest(&select.from[k].relation) && select.from[k].joins.is_empty() {
            let u = select.from.remove(k);
            select.from[k - 1].joins.push(ast::Join {
                relation: u.relation,
                global: false,
                join_operator: JoinOperator::CrossJoin(JoinConstraint::None),
            });
        } else {
            k += 1;
        }
    }
    for twj in &mut select.from {
        rewrite_from(twj, renames)?;
    }
    Ok(())
}

fn same(a: &Ident, b: &Ident) -> bool {
    match (a.quote_style, b.quote_style) {
        (None, None) => a.value.eq_ignore_ascii_case(&b.value),
        _ => a.value == b.value,
    }
}

/// The name a relation's columns are qualified with.
fn qualifier(f: &TableFactor) -> Option<Ident> {
    match f {
        TableFactor::Table { alias: Some(a), .. } | TableFactor::Derived { alias: Some(a), .. } => {
            Some(a.name.clone())
        }
        TableFactor::Table { name, alias: None, .. } => name.0.last().and_then(|p| p.as_ident()).cloned(),
        _ => None,
    }
}

fn rewrite_from(
    twj: &mut TableWithJoins,
    renames: &mut Vec<(Ident, Ident)>,
) -> std::result::Result<(), String> {
    // A lone UNNEST that DataFusion does not plan as Trino (ordinality, a map, rows).
    if let TableFactor::UNNEST { .. } = &twj.relation
        && needs_rewrite(&twj.relation)
    {
        let (items, alias) = unnest_items(&twj.relation)?;
        twj.relation = derived(&format!("SELECT {items}"), &alias)?;
    }
    while let Some(j) = twj.joins.iter().position(|j| is_unnest(&j.relation)) {
        let join = &twj.joins[j];
        match &join.join_operator {
            JoinOperator::CrossJoin(JoinConstraint::None) => {}
            JoinOperator::Join(JoinConstraint::On(e)) | JoinOperator::Inner(JoinConstraint::On(e))
                if e.to_string().eq_ignore_ascii_case("true") => {}
            other => {
                return Err(format!(
                    "`{}` UNNEST is not supported on the embedded engine: use CROSS JOIN UNNEST (rows with an \
                     empty or NULL array are left out, as on Trino)",
                    join_name(other)
                ));
            }
        }
        if j > 0 {
            return Err(
                "CROSS JOIN UNNEST after another join is not supported on the embedded engine: put the join in \
                 a subquery, then CROSS JOIN UNNEST its result"
                    .into(),
            );
        }
        // A subquery with no name (Trino allows it) is given one.
        if let TableFactor::Derived { alias: alias @ None, .. } = &mut twj.relation {
            *alias = Some(ast::TableAlias {
                explicit: true,
                name: Ident::new("athq_unnested"),
                columns: vec![],
                at: None,
            });
        }
        let Some(left) = qualifier(&twj.relation) else {
            return Err(
                "CROSS JOIN UNNEST needs the relation before it to have a name: give it an alias".into()
            );
        };
        let (items, _) = unnest_items(&join.relation)?;
        let inner = format!("SELECT {left}.*, {items} FROM {}", twj.relation);
        twj.relation = derived(&inner, &left)?;
        if let Some(u) = alias_name(&join.relation) {
            renames.push((u, left.clone()));
        }
        twj.joins.remove(j);
    }
    Ok(())
}

fn join_name(op: &JoinOperator) -> &'static str {
    match op {
        JoinOperator::Left(_) | JoinOperator::LeftOuter(_) => "LEFT JOIN",
        JoinOperator::Right(_) | JoinOperator::RightOuter(_) => "RIGHT JOIN",
        JoinOperator::FullOuter(_) => "FULL JOIN",
        _ => "this JOIN",
    }
}

fn alias_name(f: &TableFactor) -> Option<Ident> {
    match f {
        TableFactor::UNNEST { alias: Some(a), .. } => Some(a.name.clone()),
        _ => None,
    }
}

/// A standalone UNNEST DataFusion plans as Trino does: one column per array, no ordinality.
fn needs_rewrite(f: &TableFactor) -> bool {
    let TableFactor::UNNEST { alias, array_exprs, with_ordinality, with_offset, .. } = f else {
        return false;
    };
    *with_ordinality || *with_offset || alias.as_ref().is_some_and(|a| a.columns.len() != array_exprs.len())
}

/// The select items for an UNNEST's columns, and the name its rows go by.
fn unnest_items(f: &TableFactor) -> std::result::Result<(String, Ident), String> {
    let TableFactor::UNNEST { alias, array_exprs, with_ordinality, with_offset, .. } = f else {
        return Err("not an UNNEST".into());
    };
    if *with_offset {
        return Err("UNNEST … WITH OFFSET is not Trino SQL: use WITH ORDINALITY".into());
    }
    let Some(alias) = alias.as_ref().filter(|a| !a.columns.is_empty()) else {
        return Err("name UNNEST's columns on the embedded engine: UNNEST(x) AS t(name)".into());
    };
    let columns: Vec<&Ident> = alias.columns.iter().map(|c| &c.name).collect();
    let (values, ordinal) = match with_ordinality {
        true => (&columns[..columns.len() - 1], columns.last().copied()),
        false => (&columns[..], None),
    };
    let mut items = Vec::new();
    let args: Vec<String> = array_exprs.iter().map(|e| e.to_string()).collect();
    match (args.len(), values.len()) {
        (m, n) if m == n => {
            for (a, c) in args.iter().zip(values) {
                // A map or an array of rows cannot fill one column: unnest_part says so when planned.
                items.push(format!("unnest(unnest_part({a}, -1)) AS {c}"));
            }
        }
        (1, n) => {
            for (k, c) in values.iter().enumerate().take(n) {
                items.push(format!("unnest(unnest_part({}, {k})) AS {c}", args[0]));
            }
        }
        _ => {
            return Err(
                "UNNEST of several maps or arrays of rows at once is not supported on the embedded engine: \
                 UNNEST them one at a time"
                    .into(),
            );
        }
    }
    if let Some(o) = ordinal {
        items.push(format!("unnest(unnest_ordinals({})) AS {o}", args.join(", ")));
    }
    Ok((items.join(", "), alias.name.clone()))
}

/// `(sql) AS name` as a table factor.
fn derived(sql: &str, name: &Ident) -> std::result::Result<TableFactor, String> {
    let text = format!("SELECT * FROM ({sql}) AS {name}");
    let parsed = Parser::new(&GenericDialect {})
        .try_with_sql(&text)
        .and_then(|mut p| p.parse_query())
        .map_err(|e| format!("UNNEST could not be rewritten for the embedded engine: {e}"))?;
    match *parsed.body {
        SetExpr::Select(s) => s.from.into_iter().next().map(|t| t.relation).ok_or_else(|| "no FROM".into()),
        _ => Err("no SELECT".into()),
    }
}

/// `unnest_part(x, k)`: what column k of `UNNEST(x)` holds, as an array: for an array, itself
/// (k is -1 or 0); for a map, its keys (0) or values (1); for an array of rows, field k.
#[derive(Debug, PartialEq, Eq, Hash)]
struct UnnestPart {
    signature: Signature,
}

fn part_index(args: &ReturnFieldArgs) -> Result<i64> {
    match args.scalar_arguments.get(1) {
        Some(Some(ScalarValue::Int64(Some(k)))) => Ok(*k),
        _ => Err(DataFusionError::Internal("unnest_part takes a constant index".into())),
    }
}

/// The element type column `k` of `UNNEST(x)` has, for a value of type `t`.
fn part_type(t: &DataType, k: i64) -> Result<DataType> {
    let refuse = |what: &str| {
        DataFusionError::Plan(format!(
            "UNNEST of {what} ({}) gives a different number of columns than named",
            super::convert::athena_type(t)
        ))
    };
    if let Some((key, value)) = map_types(t) {
        return match k {
            0 => Ok(key),
            1 => Ok(value),
            _ => Err(refuse("a map")),
        };
    }
    match element(t) {
        Some(DataType::Struct(fields)) if k >= 0 || fields.len() == 1 => {
            let i = k.max(0) as usize;
            fields.get(i).map(|f| f.data_type().clone()).ok_or_else(|| refuse("an array of rows"))
        }
        Some(DataType::Struct(_)) => Err(refuse("an array of rows")),
        Some(e) if k <= 0 => Ok(e),
        Some(_) => Err(refuse("an array")),
        None => Err(DataFusionError::Plan(format!(
            "UNNEST takes arrays and maps, not {}",
            super::convert::athena_type(t)
        ))),
    }
}

impl ScalarUDFImpl for UnnestPart {
    fn name(&self) -> &str {
        "unnest_part"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Err(DataFusionError::Internal("return_field_from_args".into()))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let k = part_index(&args)?;
        let t = part_type(args.arg_fields[0].data_type(), k)?;
        Ok(Arc::new(Field::new("unnest_part", list_type(t), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let k = match &args.args[1] {
            ColumnarValue::Scalar(ScalarValue::Int64(Some(k))) => *k,
            _ => return Err(DataFusionError::Internal("unnest_part takes a constant index".into())),
        };
        let t = part_type(arrays[0].data_type(), k)?;
        let out: ArrayRef = if map_types(arrays[0].data_type()).is_some() {
            let rows = maps(&arrays[0])?
                .into_iter()
                .map(|m| m.map(|m| m.into_iter().map(|(key, v)| if k == 0 { key } else { v }).collect()))
                .collect();
            list_of(&t, rows)?
        } else if let Some(DataType::Struct(_)) = element(arrays[0].data_type()) {
            let rows = lists(&arrays[0])?
                .into_iter()
                .map(|r| {
                    r.map(|r| {
                        r.into_iter()
                            .map(|v| match v {
                                ScalarValue::Struct(s) => {
                                    ScalarValue::try_from_array(s.column(k.max(0) as usize), 0)
                                }
                                other => ScalarValue::try_from(other.data_type()),
                            })
                            .collect::<Result<Vec<_>>>()
                    })
                    .transpose()
                })
                .collect::<Result<Vec<_>>>()?;
            list_of(&t, rows)?
        } else {
            arrays[0].clone()
        };
        super::fun::answer(out, scalar)
    }
}

fn ordinals_type(_: &str, _: &[DataType]) -> Result<DataType> {
    Ok(list_type(DataType::Int64))
}

/// 1 to the longest of the arrays' (or maps') lengths.
fn ordinals(_: &str, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let mut longest = vec![0usize; rows.max(a[0].len())];
    for c in a {
        let lens: Vec<usize> = match map_types(c.data_type()) {
            Some(_) => maps(c)?.into_iter().map(|m| m.map_or(0, |m| m.len())).collect(),
            None => lists(c)?.into_iter().map(|r| r.map_or(0, |r| r.len())).collect(),
        };
        for (l, n) in longest.iter_mut().zip(lens) {
            *l = (*l).max(n);
        }
    }
    let rows = longest
        .into_iter()
        .map(|n| Some((1..=n as i64).map(|i| ScalarValue::Int64(Some(i))).collect()))
        .collect();
    list_of(&DataType::Int64, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let dialect = GenericDialect {};
        let mut parsed = datafusion::sql::parser::DFParser::parse_sql_with_dialect(sql, &dialect).unwrap();
        rewrite(&mut parsed[0]).unwrap();
        parsed[0].to_string()
    }

    #[test]
    fn a_lateral_unnest_becomes_a_subquery() {
        let out = rewritten(
            "SELECT srcaddr, port FROM (SELECT srcaddr, array_agg(dstport) AS ports FROM t GROUP BY srcaddr) s \
             CROSS JOIN UNNEST(s.ports) AS t(port) ORDER BY srcaddr, t.port",
        );
        assert_eq!(
            out,
            "SELECT srcaddr, port FROM (SELECT s.*, unnest(unnest_part(s.ports, -1)) AS port FROM (SELECT srcaddr, \
             array_agg(dstport) AS ports FROM t GROUP BY srcaddr) s) AS s ORDER BY srcaddr, s.port"
        );
    }
}
