//! Integer overflow as Trino has it: an error, never a wrapped value. DataFusion adds, subtracts
//! and multiplies integers with wrapping arithmetic and sums them the same way, so
//! `9223372036854775807 + 1` would answer `-9223372036854775808` where Athena fails the query.
//! An analyzer rule rewrites `+`, `-` and `*` between integers into checked functions (before
//! constant folding, so a constant overflow fails when the statement is planned), and `sum`
//! over `bigint` is replaced by one that checks each addition. Everything else about `sum` is
//! DataFusion's. It must not know about files or tables.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Int64Type};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, BinaryExpr, ColumnarValue, EmitTo, Expr, ExprSchemable,
    GroupsAccumulator, LogicalPlan, Operator, ReversedUDAF, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    SetMonotonicity, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;
use datafusion::prelude::SessionContext;

/// Registers the checked `sum`; the rule goes into the session's analyzer (see [`CheckedArithmetic`]).
pub fn register(ctx: &SessionContext) {
    ctx.register_udaf(AggregateUDF::new_from_impl(CheckedSum {
        inner: datafusion::functions_aggregate::sum::sum_udaf(),
    }));
}

fn overflow(what: &str) -> datafusion::common::DataFusionError {
    datafusion::common::DataFusionError::Execution(format!(
        "integer overflow in {what}: the value does not fit in a bigint (Athena fails the query too)"
    ))
}

/// `+`, `-` or `*` between integers, checked.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Checked {
    name: &'static str,
    op: Operator,
    signature: Signature,
}

impl Checked {
    fn udf(op: Operator) -> Arc<ScalarUDF> {
        let name = match op {
            Operator::Plus => "athq_checked_add",
            Operator::Minus => "athq_checked_subtract",
            _ => "athq_checked_multiply",
        };
        Arc::new(ScalarUDF::new_from_impl(Checked {
            name,
            op,
            signature: Signature::any(2, Volatility::Immutable),
        }))
    }
}

impl ScalarUDFImpl for Checked {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args[0].clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::compute::kernels::numeric;
        let [lhs, rhs] = &args.args[..] else {
            return exec_err!("{} takes two arguments", self.name);
        };
        let op = self.op;
        datafusion::physical_expr_common::datum::apply(lhs, rhs, |l, r| match op {
            Operator::Plus => numeric::add(l, r),
            Operator::Minus => numeric::sub(l, r),
            _ => numeric::mul(l, r),
        })
        .map_err(|e| match e {
            datafusion::common::DataFusionError::ArrowError(inner, _)
                if inner.to_string().contains("Overflow") =>
            {
                overflow(&format!("`{op}`"))
            }
            other => other,
        })
    }
}

/// Rewrites integer `+`, `-`, `*` into [`Checked`] calls, keeping every expression's name.
#[derive(Debug)]
pub struct CheckedArithmetic {
    add: Arc<ScalarUDF>,
    subtract: Arc<ScalarUDF>,
    multiply: Arc<ScalarUDF>,
}

impl Default for CheckedArithmetic {
    fn default() -> Self {
        CheckedArithmetic::new()
    }
}

impl CheckedArithmetic {
    pub fn new() -> CheckedArithmetic {
        CheckedArithmetic {
            add: Checked::udf(Operator::Plus),
            subtract: Checked::udf(Operator::Minus),
            multiply: Checked::udf(Operator::Multiply),
        }
    }

    fn is_checked(&self, f: &ScalarFunction) -> bool {
        [&self.add, &self.subtract, &self.multiply].iter().any(|u| Arc::ptr_eq(u, &f.func))
    }

    fn rewrite(&self, expr: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
        expr.transform_up(|e| {
            let Expr::BinaryExpr(BinaryExpr { left, op, right }) = &e else { return Ok(Transformed::no(e)) };
            let udf = match op {
                Operator::Plus => &self.add,
                Operator::Minus => &self.subtract,
                Operator::Multiply => &self.multiply,
                _ => return Ok(Transformed::no(e)),
            };
            // Types that cannot be told (outer references) are left as they are. A side this rule
            // has already rewritten is an integer: a chain of terms is typed once, not once a term.
            let integer = |side: &Expr| match side {
                Expr::ScalarFunction(f) if self.is_checked(f) => true,
                side => side.get_type(schema).is_ok_and(|t| t.is_integer()),
            };
            let integers = integer(left) && integer(right);
            if !integers {
                return Ok(Transformed::no(e));
            }
            let args = vec![(**left).clone(), (**right).clone()];
            Ok(Transformed::yes(Expr::ScalarFunction(ScalarFunction::new_udf(udf.clone(), args))))
        })
    }
}

impl AnalyzerRule for CheckedArithmetic {
    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|plan| {
            // Expressions are typed by what the node reads: its inputs' columns.
            let schema = super::fun::input_schema(&plan);
            let names = NamePreserver::new(&plan);
            plan.map_expressions(|expr| {
                let saved = names.save(&expr);
                Ok(self.rewrite(expr, &schema)?.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "athq_checked_arithmetic"
    }
}

/// `sum` as DataFusion has it, but a `bigint` sum that overflows is an error.
#[derive(Debug, PartialEq, Eq, Hash)]
struct CheckedSum {
    inner: Arc<AggregateUDF>,
}

fn is_bigint(args: &AccumulatorArgs) -> bool {
    !args.is_distinct && *args.return_field.data_type() == DataType::Int64
}

impl AggregateUDFImpl for CheckedSum {
    fn name(&self) -> &str {
        "sum"
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if is_bigint(&args) { Ok(Box::new(SumI64::default())) } else { self.inner.accumulator(args) }
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.state_fields(args)
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        if !is_bigint(&args) {
            return self.inner.create_groups_accumulator(args);
        }
        let failed = Arc::new(AtomicBool::new(false));
        let flag = failed.clone();
        let inner = datafusion_functions_aggregate_common::aggregate::groups_accumulator::prim_op::PrimitiveGroupsAccumulator::<Int64Type, _>::new(
            &DataType::Int64,
            move |x: &mut i64, y: i64| match x.checked_add(y) {
                Some(v) => *x = v,
                None => flag.store(true, Ordering::Relaxed),
            },
        );
        Ok(Box::new(GroupsSumI64 { inner: Box::new(inner), failed }))
    }

    fn create_sliding_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if is_bigint(&args) {
            Ok(Box::new(SumI64::default()))
        } else {
            self.inner.create_sliding_accumulator(args)
        }
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Identical
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::Insensitive
    }

    fn set_monotonicity(&self, data_type: &DataType) -> SetMonotonicity {
        self.inner.inner().set_monotonicity(data_type)
    }

    fn documentation(&self) -> Option<&datafusion::logical_expr::Documentation> {
        self.inner.documentation()
    }
}

/// A `bigint` sum, for one group or a sliding window: checked additions and retractions.
#[derive(Debug, Default)]
struct SumI64 {
    sum: i64,
    count: u64,
}

impl SumI64 {
    fn add(&mut self, values: &ArrayRef, sign: i64) -> Result<()> {
        let values = values.as_primitive::<Int64Type>();
        for v in values.iter().flatten() {
            let step = if sign > 0 { self.sum.checked_add(v) } else { self.sum.checked_sub(v) };
            self.sum = step.ok_or_else(|| overflow("sum"))?;
        }
        let n = (values.len() - values.null_count()) as u64;
        self.count = if sign > 0 { self.count + n } else { self.count.saturating_sub(n) };
        Ok(())
    }
}

impl Accumulator for SumI64 {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(&values[0], 1)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.add(&states[0], 1)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(&values[0], -1)
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.evaluate()?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64((self.count > 0).then_some(self.sum)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

/// DataFusion's grouped sum with checked additions: an overflow in any group fails the query.
struct GroupsSumI64 {
    inner: Box<dyn GroupsAccumulator>,
    failed: Arc<AtomicBool>,
}

impl std::fmt::Debug for GroupsSumI64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupsSumI64")
    }
}

impl GroupsSumI64 {
    fn check(&self) -> Result<()> {
        if self.failed.load(Ordering::Relaxed) { Err(overflow("sum")) } else { Ok(()) }
    }
}

impl GroupsAccumulator for GroupsSumI64 {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner.update_batch(values, group_indices, opt_filter, total_num_groups)?;
        self.check()
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner.merge_batch(values, group_indices, total_num_groups)?;
        self.check()
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        self.check()?;
        self.inner.evaluate(emit_to)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.check()?;
        self.inner.state(emit_to)
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        self.inner.convert_to_state(values, opt_filter)
    }

    fn size(&self) -> usize {
        self.inner.size()
    }
}
