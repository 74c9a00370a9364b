//! The embedded engine's memory limit: a pool every DataFusion operator reserves from, so sorts,
//! aggregations and repartitions spill to temporary files instead of growing without bound, and
//! a rule that turns an `ORDER BY … LIMIT n` too large to hold into a sort that can spill.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::memory_pool::MemoryLimit;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::limit::{GlobalLimitExec, LocalLimitExec};
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::prelude::SessionContext;

use crate::engine::EngineError;

/// What one kept row may cost a top-n sort: the row, and the input batch it keeps alive until
/// the heap is compacted. A guess on the safe side for flow-log rows.
const TOPK_BYTES_PER_ROW: u64 = 1024;

/// The runtime with a pool of `limit` bytes (spill files go to the system's temporary
/// directory), or DataFusion's unbounded default.
pub fn runtime(limit: Option<u64>) -> Result<Arc<RuntimeEnv>> {
    let builder = RuntimeEnvBuilder::new();
    match limit {
        Some(bytes) => builder.with_memory_limit(usize::try_from(bytes).unwrap_or(usize::MAX), 1.0),
        None => builder,
    }
    .build_arc()
}

/// DataFusion keeps the top n rows of an `ORDER BY … LIMIT n` in memory (TopK), which cannot
/// spill: with n large enough to fill half the pool, the whole input is sorted instead (that
/// sort spills) and the first n rows are kept, the same answer in bounded memory.
#[derive(Debug)]
pub struct SpillableTopK {
    /// The most rows a TopK may keep.
    max_rows: usize,
}

impl SpillableTopK {
    pub fn new(limit: u64) -> SpillableTopK {
        SpillableTopK { max_rows: usize::try_from(limit / 2 / TOPK_BYTES_PER_ROW).unwrap_or(usize::MAX) }
    }
}

impl PhysicalOptimizerRule for SpillableTopK {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            let Some(sort) = node.downcast_ref::<SortExec>() else {
                return Ok(Transformed::no(node));
            };
            let Some(n) = sort.fetch().filter(|&n| n > self.max_rows) else {
                return Ok(Transformed::no(node));
            };
            let full: Arc<dyn ExecutionPlan> = Arc::new(sort.with_fetch(None));
            let limited: Arc<dyn ExecutionPlan> = if sort.preserve_partitioning() {
                Arc::new(LocalLimitExec::new(full, n))
            } else {
                Arc::new(GlobalLimitExec::new(full, 0, Some(n)))
            };
            Ok(Transformed::yes(limited))
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "athq_spillable_topk"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// A query that needed more memory than the session's pool allows, as the user can act on it;
/// `None` for any other error.
pub fn exhausted(e: &DataFusionError, ctx: &SessionContext) -> Option<EngineError> {
    let DataFusionError::ResourcesExhausted(detail) = e.find_root() else {
        return None;
    };
    let limit = match ctx.runtime_env().memory_pool.memory_limit() {
        MemoryLimit::Finite(l) => format!(" of {}", crate::engine::human_bytes(l as i64)),
        _ => String::new(),
    };
    // "Additional allocation failed for HashJoinInput[1] with top memory consumers … as:", then
    // a list of reservations: the operator that failed is what the user can act on.
    let first = detail.lines().next().unwrap_or_default();
    let first = first.split(" with top memory consumers").next().unwrap_or(first);
    Some(EngineError::Memory(format!(
        "the query needs more memory than the embedded engine's limit{limit}: {first}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::SessionConfig;

    async fn plan_of(max_rows: usize, sql: &str) -> String {
        let state = datafusion::execution::SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features()
            .with_physical_optimizer_rule(Arc::new(SpillableTopK { max_rows }))
            .build();
        let ctx = SessionContext::new_with_state(state);
        ctx.sql("CREATE TABLE t AS VALUES (3, 'c'), (1, 'a'), (2, 'b'), (5, 'e'), (4, 'd')").await.unwrap();
        let df = ctx.sql(sql).await.unwrap();
        let plan = df.clone().create_physical_plan().await.unwrap();
        let shown = datafusion::physical_plan::displayable(plan.as_ref()).indent(false).to_string();
        let rows = datafusion::arrow::util::pretty::pretty_format_batches(&df.collect().await.unwrap())
            .unwrap()
            .to_string();
        format!("{shown}{rows}")
    }

    #[tokio::test]
    async fn a_large_limit_sorts_everything_then_keeps_n_rows() {
        let sql = "SELECT column1, column2 FROM t ORDER BY column1 DESC LIMIT 3";
        let small = plan_of(10, sql).await;
        let large = plan_of(2, sql).await;
        assert!(small.contains("TopK(fetch=3)"), "{small}");
        assert!(!large.contains("TopK"), "{large}");
        assert!(large.contains("GlobalLimitExec: skip=0, fetch=3"), "{large}");
        // The same rows either way: 5, 4, 3.
        let answer = |s: &str| {
            s.lines().filter(|l| l.starts_with("| ") && !l.contains("column")).collect::<Vec<_>>().join("\n")
        };
        assert_eq!(answer(&small), answer(&large));
        assert_eq!(answer(&large), "| 5       | e       |\n| 4       | d       |\n| 3       | c       |");
    }

    #[test]
    fn the_row_budget_is_half_the_pool() {
        assert_eq!(SpillableTopK::new(200 << 20).max_rows, 100 << 10);
    }
}
