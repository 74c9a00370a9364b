//! Which of Trino's functions the embedded engine runs, and what it says of the others. Every
//! function Trino documents is in `TRINO`; one that the session has must be athq's own (the
//! `FUNCTIONS` lists), one of DataFusion's checked to answer as Trino's does (`SAME_AS_TRINO`),
//! or refused when called (`REFUSED`), so a DataFusion namesake that answers differently cannot
//! slip in (a unit test holds the session to this). A function the engine lacks is named with
//! what to write instead (`INSTEAD`), or said to be Trino's and not here, or said to be nobody's
//! with the nearest name it does have. `DoubleText` refuses a double cast to text (Trino writes
//! `1.5E0`). It must not know about files or tables.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

/// Every function Trino documents (its "List of functions and operators"), less the geospatial
/// `ST_*` ones.
pub const TRINO: &[&str] = &[
    "abs",
    "acos",
    "all_match",
    "any_match",
    "any_value",
    "approx_distinct",
    "approx_most_frequent",
    "approx_percentile",
    "approx_set",
    "arbitrary",
    "array_agg",
    "array_distinct",
    "array_except",
    "array_first",
    "array_histogram",
    "array_intersect",
    "array_join",
    "array_last",
    "array_max",
    "array_min",
    "array_position",
    "array_remove",
    "array_sort",
    "array_union",
    "arrays_overlap",
    "asin",
    "at_timezone",
    "atan",
    "atan2",
    "avg",
    "bar",
    "beta_cdf",
    "bing_tile",
    "bing_tile_at",
    "bing_tile_coordinates",
    "bing_tile_polygon",
    "bing_tile_quadkey",
    "bing_tile_zoom_level",
    "bing_tiles_around",
    "bit_count",
    "bitwise_and",
    "bitwise_and_agg",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_or_agg",
    "bitwise_right_shift",
    "bitwise_right_shift_arithmetic",
    "bitwise_xor",
    "bool_and",
    "bool_or",
    "cardinality",
    "cbrt",
    "ceil",
    "ceiling",
    "char2hexint",
    "checksum",
    "chr",
    "classify",
    "coalesce",
    "codepoint",
    "collect",
    "color",
    "combinations",
    "concat",
    "concat_ws",
    "contains",
    "contains_sequence",
    "convex_hull_agg",
    "corr",
    "cos",
    "cosh",
    "cosine_distance",
    "cosine_similarity",
    "count",
    "count_if",
    "covar_pop",
    "covar_samp",
    "crc32",
    "cume_dist",
    "current_date",
    "current_groups",
    "current_time",
    "current_timestamp",
    "current_timezone",
    "current_user",
    "date",
    "date_add",
    "date_diff",
    "date_format",
    "date_parse",
    "date_trunc",
    "day",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "degrees",
    "dense_rank",
    "dow",
    "doy",
    "e",
    "element",
    "element_at",
    "empty_approx_set",
    "ends_with",
    "evaluate_classifier_predictions",
    "every",
    "exclude_columns",
    "extract",
    "exp",
    "features",
    "filter",
    "first_value",
    "flatten",
    "floor",
    "format",
    "format_datetime",
    "format_number",
    "from_base",
    "from_base32",
    "from_base64",
    "from_base64url",
    "from_big_endian_32",
    "from_big_endian_64",
    "from_encoded_polyline",
    "from_geojson_geometry",
    "from_hex",
    "from_ieee754_32",
    "from_ieee754_64",
    "from_iso8601_date",
    "from_iso8601_timestamp",
    "from_iso8601_timestamp_nanos",
    "from_unixtime",
    "from_unixtime_nanos",
    "from_utf8",
    "fusion",
    "geometric_mean",
    "geometry_collect_agg",
    "geometry_from_hadoop_shape",
    "geometry_invalid_reason",
    "geometry_nearest_points",
    "geometry_to_bing_tiles",
    "geometry_union",
    "geometry_union_agg",
    "great_circle_distance",
    "greatest",
    "hamming_distance",
    "hash_counts",
    "histogram",
    "hmac_md5",
    "hmac_sha1",
    "hmac_sha256",
    "hmac_sha512",
    "hour",
    "human_readable_seconds",
    "if",
    "index",
    "infinity",
    "intersection",
    "intersection_cardinality",
    "inverse_beta_cdf",
    "inverse_normal_cdf",
    "is_finite",
    "is_infinite",
    "is_json_scalar",
    "is_nan",
    "jaccard_index",
    "json",
    "json_array",
    "json_array_contains",
    "json_array_get",
    "json_array_length",
    "json_exists",
    "json_extract",
    "json_extract_scalar",
    "json_format",
    "json_object",
    "json_parse",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_size",
    "json_value",
    "kurtosis",
    "lag",
    "last_day_of_month",
    "last_value",
    "lead",
    "learn_classifier",
    "learn_libsvm_classifier",
    "learn_libsvm_regressor",
    "learn_regressor",
    "least",
    "length",
    "levenshtein_distance",
    "line_interpolate_point",
    "line_interpolate_points",
    "line_locate_point",
    "listagg",
    "ln",
    "localtime",
    "localtimestamp",
    "log",
    "log10",
    "log2",
    "lower",
    "lpad",
    "ltrim",
    "luhn_check",
    "make_set_digest",
    "map",
    "map_agg",
    "map_concat",
    "map_entries",
    "map_filter",
    "map_from_entries",
    "map_keys",
    "map_union",
    "map_values",
    "map_zip_with",
    "max",
    "max_by",
    "md5",
    "merge",
    "merge_set_digest",
    "millisecond",
    "min",
    "min_by",
    "minute",
    "mod",
    "month",
    "multimap_agg",
    "multimap_from_entries",
    "murmur3",
    "nan",
    "ngrams",
    "none_match",
    "normal_cdf",
    "normalize",
    "now",
    "nth_value",
    "ntile",
    "nullif",
    "numeric_histogram",
    "objectid",
    "objectid_timestamp",
    "parse_datetime",
    "parse_duration",
    "parse_data_size",
    "percent_rank",
    "pi",
    "position",
    "pow",
    "power",
    "qdigest_agg",
    "quarter",
    "radians",
    "rand",
    "random",
    "rank",
    "reduce",
    "reduce_agg",
    "regexp_count",
    "regexp_extract",
    "regexp_extract_all",
    "regexp_like",
    "regexp_position",
    "regexp_replace",
    "regexp_split",
    "regress",
    "regr_intercept",
    "regr_slope",
    "render",
    "repeat",
    "replace",
    "reverse",
    "rgb",
    "round",
    "row_number",
    "rpad",
    "rtrim",
    "second",
    "sequence",
    "set",
    "sha1",
    "sha256",
    "sha512",
    "shuffle",
    "sign",
    "simplify_geometry",
    "sin",
    "sinh",
    "skewness",
    "slice",
    "soundex",
    "spatial_partitioning",
    "spatial_partitions",
    "split",
    "split_part",
    "split_to_map",
    "split_to_multimap",
    "spooky_hash_v2_32",
    "spooky_hash_v2_64",
    "sqrt",
    "starts_with",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "strpos",
    "substr",
    "substring",
    "sum",
    "tan",
    "tanh",
    "tdigest_agg",
    "theta_sketch_cardinality",
    "theta_sketch_union",
    "timestamp_objectid",
    "timezone",
    "timezone_hour",
    "timezone_minute",
    "title_case",
    "to_base",
    "to_base32",
    "to_base64",
    "to_base64url",
    "to_big_endian_32",
    "to_big_endian_64",
    "to_char",
    "to_date",
    "to_encoded_polyline",
    "to_geojson_geometry",
    "to_geometry",
    "to_hex",
    "to_ieee754_32",
    "to_ieee754_64",
    "to_iso8601",
    "to_milliseconds",
    "to_spherical_geography",
    "to_timestamp",
    "to_unixtime",
    "to_utf8",
    "transform",
    "transform_keys",
    "transform_values",
    "translate",
    "trim",
    "trim_array",
    "truncate",
    "try",
    "try_cast",
    "typeof",
    "upper",
    "url_decode",
    "url_encode",
    "url_extract_fragment",
    "url_extract_host",
    "url_extract_parameter",
    "url_extract_path",
    "url_extract_port",
    "url_extract_protocol",
    "url_extract_query",
    "uuid",
    "value_at_quantile",
    "values_at_quantiles",
    "var_pop",
    "var_samp",
    "variance",
    "version",
    "week",
    "week_of_year",
    "width_bucket",
    "wilson_interval_lower",
    "wilson_interval_upper",
    "with_timezone",
    "word_stem",
    "xxhash64",
    "year",
    "year_of_week",
    "yow",
    "zip",
    "zip_with",
];

/// DataFusion's functions with a Trino name that answer as Trino's do (for what both accept).
pub const SAME_AS_TRINO: &[&str] = &[
    "abs",
    "acos",
    "any_match",
    "approx_distinct",
    "array_agg",
    "asin",
    "atan",
    "atan2",
    "avg",
    "bool_and",
    "bool_or",
    "cbrt",
    "chr",
    "coalesce",
    "concat_ws",
    "corr",
    "cos",
    "cosh",
    "count",
    "covar_pop",
    "covar_samp",
    "cume_dist",
    "current_date",
    "current_time",
    "current_timestamp",
    "date_trunc",
    "degrees",
    "dense_rank",
    "ends_with",
    "exp",
    "filter",
    "first_value",
    "from_unixtime",
    "lag",
    "last_value",
    "lead",
    "length",
    "ln",
    "log",
    "log10",
    "log2",
    "lower",
    "lpad",
    "ltrim",
    "map",
    "map_keys",
    "map_values",
    "max",
    "min",
    "now",
    "nth_value",
    "ntile",
    "nullif",
    "percent_rank",
    "pi",
    "position",
    "pow",
    "power",
    "radians",
    "rand",
    "random",
    "rank",
    "regexp_count",
    "regexp_like",
    "regr_intercept",
    "regr_slope",
    "replace",
    "round",
    "row_number",
    "rpad",
    "rtrim",
    "sin",
    "sinh",
    "sqrt",
    "starts_with",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "strpos",
    "sum",
    "tan",
    "tanh",
    "transform",
    "translate",
    "trim",
    "upper",
    "uuid",
    "var_pop",
    "var_samp",
];

/// Functions refused when called, with why: DataFusion's namesakes that answer differently, and
/// Trino's that need what the embedded engine does not reproduce.
pub const REFUSED: &[(&str, &str)] = &[
    ("to_char", "DataFusion's `to_char` takes other patterns than Trino's (Teradata's); use date_format"),
    ("to_date", "DataFusion's `to_date` takes other patterns than Trino's (Teradata's); use date_parse"),
    ("to_timestamp", "DataFusion's `to_timestamp` takes other patterns than Trino's; use date_parse"),
    ("to_hex", "Trino's `to_hex` takes varbinary, DataFusion's a number"),
    ("version", "it names the engine, which is not Athena's"),
    ("cosine_distance", "DataFusion's takes arrays, Trino's maps"),
    ("map_entries", "its rows print differently from Trino's"),
    ("array_first", "DataFusion's takes a lambda; use element_at(array, 1)"),
    ("reduce", "lambdas with an accumulator are not supported here"),
    ("all_match", "use NOT any_match(array, x -> NOT (…)), minding NULLs"),
    ("none_match", "use NOT any_match(array, x -> …), minding NULLs"),
    ("zip_with", "lambdas over two arrays are not supported here"),
    ("transform_keys", "lambdas over maps are not supported here"),
    ("transform_values", "lambdas over maps are not supported here"),
    ("map_filter", "lambdas over maps are not supported here"),
];

/// Trino functions the engine lacks that a plain expression replaces.
pub const INSTEAD: &[(&str, &str)] = &[
    ("date", "CAST(x AS DATE)"),
    ("from_iso8601_date", "CAST(x AS DATE)"),
    ("mod", "a % b"),
    ("sign", "CASE WHEN x > 0 THEN 1 WHEN x < 0 THEN -1 ELSE 0 END"),
    ("is_nan", "x <> x"),
    ("variance", "var_samp(x)"),
    ("millisecond", "CAST(date_format(ts, '%f') AS BIGINT) / 1000"),
    ("last_day_of_month", "date_add('day', -1, date_add('month', 1, date_trunc('month', ts)))"),
    ("levenshtein_distance", "levenshtein(a, b)"),
    ("listagg", "array_join(array_agg(x ORDER BY …), ',')"),
];

/// Refuses a statement that calls a refused function, naming it.
pub fn refuse(statement: &datafusion::sql::parser::Statement) -> Result<()> {
    use datafusion::sql::sqlparser::ast::{Expr as Sql, visit_expressions};
    let Some(inner) = super::fun::sql_of(statement) else { return Ok(()) };
    let found = visit_expressions(inner, |e| match e {
        Sql::Function(f) => {
            let name = f.name.to_string().to_ascii_lowercase();
            match REFUSED.iter().find(|(n, _)| *n == name) {
                Some((n, why)) => ControlFlow::Break((*n, *why)),
                None => ControlFlow::Continue(()),
            }
        }
        _ => ControlFlow::Continue(()),
    });
    match found {
        ControlFlow::Break((name, why)) => {
            Err(DataFusionError::Plan(format!("`{name}` is not supported on the embedded engine: {why}")))
        }
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// What to say of a function the session does not have: `available` is what it has.
pub fn unknown(name: &str, available: &[String]) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some((_, instead)) = INSTEAD.iter().find(|(n, _)| *n == lower) {
        return format!("function `{name}` is not available on the embedded engine; write {instead}");
    }
    if TRINO.contains(&lower.as_str()) {
        return format!(
            "function `{name}` is a Trino function the embedded engine does not have: run the statement on Athena"
        );
    }
    let nearest = available
        .iter()
        .filter(|a| TRINO.contains(&a.as_str()))
        .map(|a| (distance(&lower, a), a))
        .filter(|(d, _)| *d <= 2)
        .min();
    match nearest {
        Some((_, a)) => format!("function `{name}` is not a Trino function; did you mean `{a}`?"),
        None => format!("function `{name}` is not a Trino function, nor one athq adds"),
    }
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Refuses a double (or real) cast to text, written or implied: Trino writes `1.5E0`, DataFusion
/// `1.5`. Runs after type coercion, which adds the implied casts.
#[derive(Debug, Default)]
pub struct DoubleText;

impl AnalyzerRule for DoubleText {
    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.apply_with_subqueries(|node| {
            let schema = super::fun::input_schema(node);
            node.apply_expressions(|e| {
                e.apply(|e| {
                    let (inner, to) = match e {
                        Expr::Cast(c) => (&c.expr, c.field.data_type()),
                        Expr::TryCast(c) => (&c.expr, c.field.data_type()),
                        _ => return Ok(TreeNodeRecursion::Continue),
                    };
                    let text = matches!(to, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
                    if text && inner.get_type(&schema).is_ok_and(|t| t.is_floating()) {
                        return Err(DataFusionError::Plan(
                            "a double cast to varchar (written, or implied by `||`) is not supported on the \
                             embedded engine: Trino writes 1.5 as 1.5E0; use format('%.2f', x) or CAST(x AS DECIMAL(…))"
                                .into(),
                        ));
                    }
                    // A zoned timestamp's casts are rewritten before this rule; one without a zone
                    // may come from from_unixtime or now(), which are zoned (UTC) on Trino.
                    if text && inner.get_type(&schema).is_ok_and(|t| matches!(t, DataType::Timestamp(_, None))) {
                        return Err(DataFusionError::Plan(
                            "a timestamp cast to varchar (written, or implied by `||`) is not supported on the \
                             embedded engine: Trino writes `2026-11-21 10:00:00.000`, with ` UTC` after \
                             from_unixtime and now(); use date_format(ts, '%Y-%m-%d %H:%i:%s')"
                                .into(),
                        ));
                    }
                    Ok(TreeNodeRecursion::Continue)
                })
            })
        })?;
        Ok(plan)
    }

    fn name(&self) -> &str {
        "athq_double_text"
    }
}

/// The rule, for the session builder.
pub fn double_text() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(DoubleText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_come_from_trinos_names() {
        let have = vec!["array_join".to_string(), "translate".to_string(), "cardinality".to_string()];
        assert!(unknown("reduce", &have).contains("a Trino function the embedded engine does not have"));
        assert!(unknown("mod", &have).contains("write a % b"));
        assert!(unknown("array_jion", &have).contains("did you mean `array_join`"));
        assert!(unknown("frobnicate", &have).ends_with("nor one athq adds"));
    }

    #[test]
    fn the_lists_name_trino_functions() {
        for (name, _) in REFUSED.iter().chain(INSTEAD) {
            assert!(TRINO.contains(name), "{name}");
        }
        for name in SAME_AS_TRINO {
            assert!(TRINO.contains(name), "{name}");
        }
    }
}
