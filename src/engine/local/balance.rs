//! Long chains in a statement made shallow before it is planned. The parser reads
//! `a OR b OR c …` (and `AND`, `||`, `UNION [ALL]`) as a tree as deep as the chain is long, and
//! planning walks it once a level, several times over: a generated allow-list of a few thousand
//! addresses took minutes and could exhaust the stack. These operators are associative (for
//! `AND` and `OR` under SQL's three-valued logic too), so the same terms, in the same order, are
//! regrouped into a balanced tree of logarithmic depth: the same answer, planned in a fraction
//! of the time. Arithmetic is left as written: regrouping `+` could change where an overflow
//! happens. It must not know about tables or files.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, Query, SetExpr, SetOperator, SetQuantifier, Statement, Values, VisitMut, VisitorMut,
};

/// Chains shorter than this are left as they are.
const MIN_CHAIN: usize = 16;

/// Regroups the statement's long chains (see the module's note).
pub fn balance(statement: &mut datafusion::sql::parser::Statement) {
    if let Some(s) = super::fun::sql_mut(statement) {
        balance_sql(s);
    }
}

fn balance_sql(statement: &mut Statement) {
    let _ = statement.visit(&mut Balancer);
}

struct Balancer;

impl VisitorMut for Balancer {
    type Break = ();

    // Before the children are visited: the visit then descends a balanced tree.
    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let op = match expr {
            Expr::BinaryOp { op, .. }
                if matches!(op, BinaryOperator::Or | BinaryOperator::And | BinaryOperator::StringConcat) =>
            {
                Some(op.clone())
            }
            _ => None,
        };
        if let Some(op) = op
            && terms_at_least(expr, MIN_CHAIN)
        {
            let placeholder = Expr::value(datafusion::sql::sqlparser::ast::Value::Null);
            *expr = balanced_expr(flatten_expr(std::mem::replace(expr, placeholder), &op), &op);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let SetExpr::SetOperation { op: SetOperator::Union, set_quantifier, .. } = query.body.as_ref() {
            let quantifier = *set_quantifier;
            let body = std::mem::replace(
                query.body.as_mut(),
                SetExpr::Values(Values { explicit_row: false, value_keyword: false, rows: Vec::new() }),
            );
            let terms = flatten_union(body, quantifier);
            *query.body = if terms.len() < MIN_CHAIN {
                left_deep_union(terms, quantifier)
            } else {
                balanced_union(terms, quantifier)
            };
        }
        ControlFlow::Continue(())
    }
}

/// Whether the chain at `expr` (of its own operator) has at least `n` terms; without recursion,
/// and without changing it.
fn terms_at_least(expr: &Expr, n: usize) -> bool {
    let Expr::BinaryOp { op, .. } = expr else { return false };
    let (mut stack, mut terms) = (vec![expr], 0);
    while let Some(e) = stack.pop() {
        match e {
            Expr::BinaryOp { left, op: o, right } if o == op => {
                stack.push(right);
                stack.push(left);
            }
            _ => terms += 1,
        }
        if terms >= n {
            return true;
        }
    }
    false
}

/// The terms of a chain of `op`, in order, without recursion.
fn flatten_expr(expr: Expr, op: &BinaryOperator) -> Vec<Expr> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            Expr::BinaryOp { left, op: o, right } if &o == op => {
                stack.push(*right);
                stack.push(*left);
            }
            other => out.push(other),
        }
    }
    out
}

fn join(left: Expr, op: &BinaryOperator, right: Expr) -> Expr {
    Expr::BinaryOp { left: Box::new(left), op: op.clone(), right: Box::new(right) }
}

fn balanced_expr(mut terms: Vec<Expr>, op: &BinaryOperator) -> Expr {
    if terms.len() == 1 {
        return terms.pop().expect("one term");
    }
    let right = terms.split_off(terms.len() / 2);
    join(balanced_expr(terms, op), op, balanced_expr(right, op))
}

/// The branches of a chain of `UNION` with one quantifier, in order.
fn flatten_union(body: SetExpr, quantifier: SetQuantifier) -> Vec<SetExpr> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(e) = stack.pop() {
        match e {
            SetExpr::SetOperation { left, op: SetOperator::Union, set_quantifier, right }
                if set_quantifier == quantifier =>
            {
                stack.push(*right);
                stack.push(*left);
            }
            other => out.push(other),
        }
    }
    out
}

fn union(left: SetExpr, quantifier: SetQuantifier, right: SetExpr) -> SetExpr {
    SetExpr::SetOperation {
        left: Box::new(left),
        op: SetOperator::Union,
        set_quantifier: quantifier,
        right: Box::new(right),
    }
}

fn left_deep_union(terms: Vec<SetExpr>, quantifier: SetQuantifier) -> SetExpr {
    let mut it = terms.into_iter();
    let first = it.next().expect("a union has a branch");
    it.fold(first, |acc, t| union(acc, quantifier, t))
}

fn balanced_union(mut terms: Vec<SetExpr>, quantifier: SetQuantifier) -> SetExpr {
    if terms.len() == 1 {
        return terms.pop().expect("one branch");
    }
    let right = terms.split_off(terms.len() / 2);
    union(balanced_union(terms, quantifier), quantifier, balanced_union(right, quantifier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::parser::Parser;

    fn balanced(sql: &str) -> String {
        let mut s = Parser::parse_sql(&GenericDialect {}, sql).unwrap().remove(0);
        balance_sql(&mut s);
        s.to_string()
    }

    fn depth(e: &Expr) -> usize {
        match e {
            Expr::BinaryOp { left, right, .. } => 1 + depth(left).max(depth(right)),
            _ => 0,
        }
    }

    #[test]
    fn long_chains_keep_their_terms_in_order_and_become_shallow() {
        // Short chains are as written.
        assert_eq!(balanced("SELECT a OR b OR c"), "SELECT a OR b OR c");
        let terms: Vec<String> = (0..1000).map(|i| format!("x = {i}")).collect();
        let sql = format!("SELECT * FROM t WHERE {}", terms.join(" OR "));
        let mut s = Parser::parse_sql(&GenericDialect {}, &sql).unwrap().remove(0);
        balance_sql(&mut s);
        let Statement::Query(q) = &s else { panic!() };
        let SetExpr::Select(select) = q.body.as_ref() else { panic!() };
        let filter = select.selection.as_ref().unwrap();
        assert!(depth(filter) <= 11, "{}", depth(filter));
        assert_eq!(flatten_expr(filter.clone(), &BinaryOperator::Or).len(), 1000);
        let shown = filter.to_string().replace(['(', ')'], "");
        assert_eq!(shown, terms.join(" OR "));
        // Other operators in a chain are terms of it, not part of it.
        let mixed = balanced(&format!("SELECT 1 WHERE a AND {}", vec!["b OR c"; 20].join(" AND ")));
        assert_eq!(mixed.matches("b OR c").count(), 20, "{mixed}");
    }

    #[test]
    fn unions_of_one_kind_are_regrouped_and_mixed_ones_kept() {
        let branches: Vec<String> = (0..40).map(|i| format!("SELECT {i} AS x")).collect();
        let sql = balanced(&branches.join(" UNION ALL "));
        assert!(
            sql.contains("(SELECT 0 AS x UNION ALL SELECT 1 AS x") || sql.starts_with("SELECT 0 AS x"),
            "{sql}"
        );
        let mixed = "SELECT 1 UNION SELECT 2 UNION ALL SELECT 3";
        assert_eq!(balanced(mixed), mixed);
    }
}
