//! Functions and types the embedded engine adds to DataFusion so the library's local dialect and
//! Athena's own SQL run: `cidr_contains(cidr, address)`; Trino's `contains(cidr, address)` (still
//! a substring test when the first argument is not a network); `is_subnet_of(prefix, address or
//! prefix)`; and the `IPADDRESS` and `IPPREFIX` types, planned as strings so
//! `CAST(srcaddr AS IPADDRESS)` runs as written. Addresses compare as Trino's
//! IPADDRESS does: an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address. A value
//! that is not an address (NODATA rows' `-`) gives NULL, as TRY_CAST does on Athena.
//! `CAST(x AS IPADDRESS)`, `TRY_CAST(…)` and `IPADDRESS '…'` (and IPPREFIX's) are rewritten in the
//! statement to functions that check and canonicalise the value as Trino does: `2001:DB8::1` is
//! `2001:db8::1`, `::ffff:10.0.0.1` is `10.0.0.1`, a prefix keeps only its network bits; a value
//! that is not one fails a CAST and gives NULL from TRY_CAST.
//! It must not know about files or tables.

use std::net::IpAddr;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use ipnet::IpNet;

/// What this module adds to SQL, for the README (generated from this list).
pub const FUNCTIONS: &[(&str, &str)] = &[
    (
        "contains",
        "`contains('10.0.0.0/8', address)`: the address lies in the network (else a substring test, as DataFusion's)",
    ),
    ("is_subnet_of", "`is_subnet_of(prefix, address or prefix)`: the second lies within the first"),
    ("cidr_contains", "athq's own spelling of `contains(cidr, address)`, which the library's local SQL uses"),
    (
        "IPADDRESS",
        "type: `CAST(x AS IPADDRESS)`, `TRY_CAST`, `IPADDRESS '10.0.0.5'`; checked and canonical (`::ffff:10.0.0.1` is `10.0.0.1`)",
    ),
    ("IPPREFIX", "type: `CAST(x AS IPPREFIX)`, `IPPREFIX '10.1.2.3/8'` (is `10.0.0.0/8`)"),
];

/// An address as Trino compares it: IPv4-mapped IPv6 is IPv4.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// A plain dotted quad (`10.20.30.40`, no leading zeros beyond a lone `0`), as flow logs write
/// IPv4 addresses; anything else is left to `parse_ip` (IPv6, mapped addresses, junk).
fn dotted_quad(s: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    let mut parts = 0;
    let mut i = 0;
    while parts < 4 {
        let start = i;
        let mut v: u32 = 0;
        while i < s.len() && s[i].is_ascii_digit() && i - start < 3 {
            v = v * 10 + u32::from(s[i] - b'0');
            i += 1;
        }
        let len = i - start;
        if len == 0 || v > 255 || (len > 1 && s[start] == b'0') {
            return None;
        }
        out = out << 8 | v;
        parts += 1;
        if parts < 4 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
    }
    (i == s.len()).then_some(out)
}

/// Whether `addr` is in `net`: a constant network's test, with IPv4 addresses compared as
/// integers (the same answer as parsing them, several times faster).
fn net_contains(net: &IpNet, addr: &str) -> Option<bool> {
    if let IpNet::V4(v4) = net
        && let Some(ip) = dotted_quad(addr.as_bytes())
    {
        let mask = u32::from(v4.netmask());
        return Some(ip & mask == u32::from(v4.network()));
    }
    Some(net.contains(&parse_ip(addr)?))
}

/// A network as Trino compares it: `::ffff:10.0.0.0/104` is `10.0.0.0/8`.
pub fn parse_net(s: &str) -> Option<IpNet> {
    let net: IpNet = s.parse().ok()?;
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
            Some(v4) => ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96).ok().map(IpNet::V4),
            None => Some(net),
        },
        _ => Some(net),
    }
}

/// How a `CidrContains` reads its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    /// `cidr_contains(cidr, address)`.
    Cidr,
    /// Trino's `contains(cidr, address)`; a first argument that is not a network makes it
    /// DataFusion's substring test (which Trino spells `strpos`).
    Contains,
    /// Trino's `is_subnet_of(prefix, address or prefix)`: the second lies within the first.
    SubnetOf,
}

/// `cidr_contains`, Trino's `contains` and `is_subnet_of`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CidrContains {
    signature: Signature,
    mode: Mode,
}

impl CidrContains {
    fn function(mode: Mode) -> ScalarUDF {
        ScalarUDF::new_from_impl(CidrContains {
            signature: Signature::string(2, Volatility::Immutable),
            mode,
        })
    }

    pub fn udf() -> ScalarUDF {
        CidrContains::function(Mode::Cidr)
    }

    /// Replaces DataFusion's `contains`: an array's `contains(array, x)` too.
    pub fn trino_contains() -> ScalarUDF {
        ScalarUDF::new_from_impl(CidrContains {
            signature: Signature::user_defined(Volatility::Immutable),
            mode: Mode::Contains,
        })
    }

    pub fn is_subnet_of() -> ScalarUDF {
        CidrContains::function(Mode::SubnetOf)
    }

    fn test(&self, net: Option<&str>, addr: Option<&str>) -> Option<bool> {
        let (net, addr) = (net?, addr?);
        match (parse_net(net), self.mode) {
            (Some(n), Mode::SubnetOf) => match parse_ip(addr) {
                Some(ip) if !addr.contains('/') => Some(n.contains(&ip)),
                _ => Some(n.contains(&parse_net(addr)?)),
            },
            (Some(n), _) => Some(n.contains(&parse_ip(addr)?)),
            (None, Mode::Contains) => Some(net.contains(addr)),
            (None, _) => None,
        }
    }
}

/// Trino's types that DataFusion lacks, planned as the types athq stores them in.
#[derive(Debug)]
pub struct TrinoTypes;

impl datafusion::logical_expr::planner::TypePlanner for TrinoTypes {
    fn plan_type_field(
        &self,
        sql_type: &datafusion::sql::sqlparser::ast::DataType,
    ) -> datafusion::common::Result<Option<datafusion::arrow::datatypes::FieldRef>> {
        use datafusion::sql::sqlparser::ast::DataType as Sql;
        let field = |t: DataType| Some(Arc::new(datafusion::arrow::datatypes::Field::new("", t, true)));
        Ok(match sql_type {
            Sql::Custom(name, modifiers)
                if modifiers.is_empty()
                    && ["ipaddress", "ipprefix"].iter().any(|t| name.to_string().eq_ignore_ascii_case(t)) =>
            {
                field(DataType::Utf8)
            }
            // Trino's MAP(k, v).
            Sql::Map(k, v) => field(super::fun::map_type(scalar_type(k)?, scalar_type(v)?)),
            // Trino's ROW(name type, …): the parser hands over its words.
            Sql::Custom(name, words) if name.to_string().eq_ignore_ascii_case("row") => {
                if words.is_empty() || words.len() % 2 != 0 {
                    return Err(DataFusionError::Plan(format!(
                        "the type {sql_type} is not supported on the embedded engine: it takes ROW(name type, …) of simple types"
                    )));
                }
                let fields: Vec<datafusion::arrow::datatypes::Field> = words
                    .chunks(2)
                    .map(|pair| {
                        let t = datafusion::sql::sqlparser::parser::Parser::new(
                            &datafusion::sql::sqlparser::dialect::GenericDialect {},
                        )
                        .try_with_sql(&pair[1])
                        .and_then(|mut p| p.parse_data_type())
                        .map_err(|e| DataFusionError::Plan(format!("the type {sql_type}: {e}")))?;
                        Ok(datafusion::arrow::datatypes::Field::new(
                            pair[0].to_ascii_lowercase(),
                            scalar_type(&t)?,
                            true,
                        ))
                    })
                    .collect::<datafusion::common::Result<_>>()?;
                field(DataType::Struct(fields.into()))
            }
            Sql::JSON | Sql::JSONB => {
                return Err(DataFusionError::Plan(
                    "CAST to JSON is not supported on the embedded engine (a JSON value is text here): use \
                     json_parse, json_format and json_extract; CAST(json AS ARRAY(…)) and MAP(…) are supported"
                        .into(),
                ));
            }
            _ => None,
        })
    }
}

/// A simple SQL type (the element of a MAP or ROW type) as Arrow's.
fn scalar_type(t: &datafusion::sql::sqlparser::ast::DataType) -> datafusion::common::Result<DataType> {
    use datafusion::sql::sqlparser::ast::DataType as Sql;
    Ok(match t {
        Sql::Varchar(_) | Sql::String(_) | Sql::Text | Sql::Char(_) | Sql::CharVarying(_) => DataType::Utf8,
        Sql::BigInt(_) | Sql::Int64 => DataType::Int64,
        Sql::Int(_) | Sql::Integer(_) | Sql::Int32 => DataType::Int32,
        Sql::SmallInt(_) => DataType::Int16,
        Sql::TinyInt(_) => DataType::Int8,
        Sql::Double(_) | Sql::DoublePrecision | Sql::Float64 => DataType::Float64,
        Sql::Real | Sql::Float(_) | Sql::Float32 => DataType::Float32,
        Sql::Boolean | Sql::Bool => DataType::Boolean,
        Sql::Date => DataType::Date32,
        Sql::Array(datafusion::sql::sqlparser::ast::ArrayElemTypeDef::AngleBracket(inner)) => {
            super::fun::list_type(scalar_type(inner)?)
        }
        Sql::Map(k, v) => super::fun::map_type(scalar_type(k)?, scalar_type(v)?),
        other => {
            return Err(DataFusionError::Plan(format!(
                "the type {other} inside a MAP or ROW type is not supported on the embedded engine"
            )));
        }
    })
}

/// The function that stands for a cast to `IPADDRESS` or `IPPREFIX`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpCast {
    signature: Signature,
    prefix: bool,
    /// TRY_CAST: NULL instead of an error.
    lenient: bool,
}

impl IpCast {
    /// The four: `ipaddress_cast`, `try_ipaddress_cast`, `ipprefix_cast`, `try_ipprefix_cast`.
    pub fn udfs() -> Vec<ScalarUDF> {
        [(false, false), (false, true), (true, false), (true, true)]
            .into_iter()
            .map(|(prefix, lenient)| {
                ScalarUDF::new_from_impl(IpCast {
                    signature: Signature::string(1, Volatility::Immutable),
                    prefix,
                    lenient,
                })
            })
            .collect()
    }

    fn type_name(&self) -> &'static str {
        if self.prefix { "IPPREFIX" } else { "IPADDRESS" }
    }

    /// Trino's text for a value of the type, or None when it is not one.
    fn canonical(&self, v: &str) -> Option<String> {
        if self.prefix {
            parse_net(v.trim()).map(|n| n.trunc().to_string())
        } else {
            parse_ip(v.trim()).map(|ip| ip.to_string())
        }
    }
}

impl ScalarUDFImpl for IpCast {
    fn name(&self) -> &str {
        match (self.prefix, self.lenient) {
            (false, false) => "ipaddress_cast",
            (false, true) => "try_ipaddress_cast",
            (true, false) => "ipprefix_cast",
            (true, true) => "try_ipprefix_cast",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> datafusion::common::Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::common::Result<ColumnarValue> {
        let scalar = matches!(args.args.as_slice(), [ColumnarValue::Scalar(_)]);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let mut bad = None;
        let out: datafusion::arrow::array::StringArray = strings(&arrays[0])?
            .iter()
            .map(|v| {
                let v = v.as_deref()?;
                let c = self.canonical(v);
                if c.is_none() && !self.lenient && bad.is_none() {
                    bad = Some(v.to_string());
                }
                c
            })
            .collect();
        if let Some(v) = bad {
            return Err(DataFusionError::Execution(format!(
                "Cannot cast value to {}: {v}",
                self.type_name()
            )));
        }
        super::fun::answer(Arc::new(out), scalar)
    }
}

/// Rewrites Trino's casts to `IPADDRESS`/`IPPREFIX` and their typed literals in `statement` into
/// [`IpCast`] calls, innermost first.
pub fn rewrite_ip_casts(statement: &mut datafusion::sql::parser::Statement) {
    use datafusion::sql::sqlparser::ast::{self as ast, CastKind, DataType as Sql, Expr};
    let Some(statement) = super::fun::sql_mut(statement) else { return };
    let ip_type = |t: &Sql| match t {
        Sql::Custom(name, modifiers) if modifiers.is_empty() => {
            let n = name.to_string();
            if n.eq_ignore_ascii_case("ipaddress") {
                Some(false)
            } else if n.eq_ignore_ascii_case("ipprefix") {
                Some(true)
            } else {
                None
            }
        }
        _ => None,
    };
    let _ = ast::visit_expressions_mut(statement, |e| {
        let replacement = match e {
            Expr::Cast { kind, expr, data_type, .. } => ip_type(data_type).map(|prefix| {
                let lenient = matches!(kind, CastKind::TryCast | CastKind::SafeCast);
                let name = format!(
                    "{}{}_cast",
                    if lenient { "try_" } else { "" },
                    if prefix { "ipprefix" } else { "ipaddress" }
                );
                super::fun::sql_call(&name, vec![(**expr).clone()])
            }),
            Expr::TypedString(ts) => ip_type(&ts.data_type).map(|prefix| {
                let name = if prefix { "ipprefix_cast" } else { "ipaddress_cast" };
                super::fun::sql_call(name, vec![Expr::Value(ts.value.clone())])
            }),
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
}

/// The statement's significant tokens (no whitespace or comments) with their byte ranges.
fn located_tokens(sql: &str) -> Option<Vec<(datafusion::sql::sqlparser::tokenizer::Token, usize, usize)>> {
    use datafusion::sql::sqlparser::dialect::GenericDialect;
    use datafusion::sql::sqlparser::tokenizer::{Location, Token, Tokenizer};
    let tokens = Tokenizer::new(&GenericDialect {}, sql).tokenize_with_location().ok()?;
    // Byte offset of a 1-based line and column (columns count characters).
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(sql.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let offset = |l: Location| -> Option<usize> {
        let start = *line_starts.get(usize::try_from(l.line).ok()?.checked_sub(1)?)?;
        let col = usize::try_from(l.column).ok()?.checked_sub(1)?;
        Some(sql[start..].char_indices().nth(col).map_or(sql.len(), |(i, _)| start + i))
    };
    tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .map(|t| Some((t.token, offset(t.span.start)?, offset(t.span.end)?)))
        .collect()
}

/// Trino's syntax that DataFusion's parser does not read, rewritten in the statement's text
/// (strings, quoted identifiers and comments are left as they are):
/// `IPADDRESS '10.0.0.1'` → `CAST('10.0.0.1' AS IPADDRESS)` (and IPPREFIX's typed literals), and
/// the type `ARRAY(varchar)` → `ARRAY<varchar>` (`ARRAY` followed by a parenthesis is always a
/// type in Trino: its constructor takes brackets).
pub fn trino_syntax(sql: &str) -> std::borrow::Cow<'_, str> {
    use datafusion::sql::sqlparser::tokenizer::Token;
    let Some(tokens) = located_tokens(sql) else { return sql.into() };
    // (from, to, replacement) byte ranges, in order.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Vec<Option<usize>> = Vec::new();
    for (k, (token, from, to)) in tokens.iter().enumerate() {
        let next = tokens.get(k + 1);
        match token {
            Token::Word(w) if w.quote_style.is_none() => {
                let ty = w.value.to_ascii_uppercase();
                if (ty == "IPADDRESS" || ty == "IPPREFIX")
                    && let Some((Token::SingleQuotedString(_), lit, end)) = next
                {
                    edits.push((*from, *end, format!("CAST({} AS {ty})", &sql[*lit..*end])));
                }
            }
            Token::LParen => {
                let array_type = k > 0
                    && matches!(&tokens[k - 1].0, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("array"));
                open.push(array_type.then_some(*from));
                if array_type {
                    edits.push((*from, *to, "<".into()));
                }
            }
            Token::RParen => {
                if let Some(Some(_)) = open.pop() {
                    edits.push((*from, *to, ">".into()));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return sql.into();
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(sql.len() + 16 * edits.len());
    let mut last = 0;
    for (from, to, with) in edits {
        if from < last {
            continue;
        }
        out.push_str(&sql[last..from]);
        out.push_str(&with);
        last = to;
    }
    out.push_str(&sql[last..]);
    out.into()
}

/// Applies `f` to every value of a string array of any Arrow string type.
fn map_strings(
    a: &ArrayRef,
    mut f: impl FnMut(Option<&str>) -> Option<bool>,
) -> datafusion::common::Result<BooleanArray> {
    Ok(match a.data_type() {
        DataType::Utf8View => a.as_string_view().iter().map(&mut f).collect(),
        DataType::Utf8 => a.as_string::<i32>().iter().map(&mut f).collect(),
        DataType::LargeUtf8 => a.as_string::<i64>().iter().map(&mut f).collect(),
        DataType::Null => (0..a.len()).map(|_| None).collect(),
        other => return Err(DataFusionError::Execution(format!("cidr_contains takes strings, not {other}"))),
    })
}

impl ScalarUDFImpl for CidrContains {
    fn name(&self) -> &str {
        match self.mode {
            Mode::Cidr => "cidr_contains",
            Mode::Contains => "contains",
            Mode::SubnetOf => "is_subnet_of",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> datafusion::common::Result<DataType> {
        Ok(DataType::Boolean)
    }

    /// `contains`: an array and a value as they are (checked by the array's function), else two
    /// strings.
    fn coerce_types(&self, args: &[DataType]) -> datafusion::common::Result<Vec<DataType>> {
        use super::fun::{element, is_text};
        match args {
            [a, b] if a.is_nested() => {
                let t =
                    element(a).ok_or_else(|| super::fun::wrong("contains", "an array and a value", args))?;
                super::fun::common("contains", &t, b)?;
                Ok(args.to_vec())
            }
            [a, b] if is_text(a) && is_text(b) => Ok(vec![DataType::Utf8, DataType::Utf8]),
            _ => Err(super::fun::wrong(
                "contains",
                "an array and a value, or a network (CIDR text) and an address",
                args,
            )),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::common::Result<ColumnarValue> {
        if self.mode == Mode::Contains
            && let Some(first) = args.args.first()
            && first.data_type().is_nested()
        {
            let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
            let arrays = ColumnarValue::values_to_arrays(&args.args)?;
            let out = super::nested::array_contains("contains", &arrays, args.number_rows)?;
            return super::fun::answer(out, scalar);
        }
        let [net, addr] = args.args.as_slice() else {
            return Err(DataFusionError::Execution("cidr_contains takes two arguments".into()));
        };
        // The network is almost always a constant: parse it once.
        if let ColumnarValue::Scalar(s) = net
            && let ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) = s
            && let Some(net) = v.as_deref().and_then(parse_net)
            && self.mode != Mode::SubnetOf
        {
            return Ok(match addr {
                ColumnarValue::Scalar(a) => {
                    let a = a.to_array()?;
                    let out = map_strings(&a, |v| net_contains(&net, v?))?;
                    ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?)
                }
                ColumnarValue::Array(a) => {
                    ColumnarValue::Array(Arc::new(map_strings(a, |v| net_contains(&net, v?))?))
                }
            });
        }
        let scalar = matches!((net, addr), (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let firsts = strings(&arrays[0])?;
        let mut i = 0;
        let out = map_strings(&arrays[1], |v| {
            let n = firsts[i].as_deref();
            i += 1;
            self.test(n, v)
        })?;
        super::fun::answer(Arc::new(out), scalar)
    }
}

fn strings(a: &ArrayRef) -> datafusion::common::Result<Vec<Option<String>>> {
    let mut out = Vec::with_capacity(a.len());
    map_strings(a, |v| {
        out.push(v.map(String::from));
        None
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integer_test_agrees_with_parsing() {
        let nets = ["10.20.0.0/16", "172.16.0.0/12", "0.0.0.0/0", "10.20.30.40/32", "2001:db8::/32"];
        let addrs = [
            "10.20.0.1",
            "10.21.0.1",
            "172.31.255.255",
            "172.32.0.0",
            "10.20.30.40",
            "010.20.0.1",
            "10.20.0",
            "10.20.0.1.2",
            "10.20.0.256",
            "::ffff:10.20.0.1",
            "2001:db8::1",
            "-",
            "",
            "1.2.3.4 ",
            "255.255.255.255",
        ];
        for n in nets {
            let net = parse_net(n).unwrap();
            for a in addrs {
                let slow = parse_ip(a).map(|ip| net.contains(&ip));
                assert_eq!(net_contains(&net, a), slow, "{a} in {n}");
            }
        }
        proptest::proptest!(|(a: u8, b: u8, c: u8, d: u8)| {
            let text = format!("{a}.{b}.{c}.{d}");
            proptest::prop_assert_eq!(dotted_quad(text.as_bytes()), Some(u32::from_be_bytes([a, b, c, d])));
        });
    }

    #[test]
    fn addresses() {
        assert_eq!(parse_ip("10.20.0.1"), Some("10.20.0.1".parse().unwrap()));
        assert_eq!(parse_ip("2001:db8::1"), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(parse_ip("::ffff:10.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(parse_ip("10.20.0"), None);
        assert_eq!(parse_ip("10.20.0.256"), None);
        assert_eq!(parse_ip("-"), None);
    }

    #[test]
    fn subnets_and_addresses() {
        let f = CidrContains { signature: Signature::string(2, Volatility::Immutable), mode: Mode::SubnetOf };
        assert_eq!(f.test(Some("10.0.0.0/8"), Some("10.1.0.0/16")), Some(true));
        assert_eq!(f.test(Some("10.1.0.0/16"), Some("10.0.0.0/8")), Some(false));
        assert_eq!(f.test(Some("10.0.0.0/8"), Some("10.2.3.4")), Some(true));
        assert_eq!(f.test(Some("10.0.0.0/8"), Some("-")), None);
        let c = CidrContains { signature: Signature::string(2, Volatility::Immutable), mode: Mode::Contains };
        assert_eq!(c.test(Some("abc"), Some("b")), Some(true));
    }

    #[test]
    fn typed_literals_become_casts() {
        assert_eq!(
            trino_syntax("SELECT x = IPADDRESS '10.0.0.1' AND\n  y = ipprefix 'é''s/8' -- IPADDRESS '1'"),
            "SELECT x = CAST('10.0.0.1' AS IPADDRESS) AND\n  y = CAST('é''s/8' AS IPPREFIX) -- IPADDRESS '1'"
        );
        let untouched = "SELECT 'IPADDRESS ''x''', \"ipaddress\" FROM t";
        assert_eq!(trino_syntax(untouched), untouched);
        assert_eq!(
            trino_syntax("SELECT CAST(x AS ARRAY(ARRAY(varchar))), ARRAY[1](1), 'ARRAY(x)'"),
            "SELECT CAST(x AS ARRAY<ARRAY<varchar>>), ARRAY[1](1), 'ARRAY(x)'"
        );
    }

    #[test]
    fn casts_check_and_canonicalise() {
        assert_eq!(IpCast::udfs().len(), 4);
        let f = |prefix, lenient| IpCast {
            signature: Signature::string(1, Volatility::Immutable),
            prefix,
            lenient,
        };
        assert_eq!(f(false, false).canonical("2001:DB8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(f(false, false).canonical("::ffff:10.0.0.1").as_deref(), Some("10.0.0.1"));
        assert_eq!(f(false, true).canonical("nope"), None);
        assert_eq!(f(true, false).canonical("10.1.2.3/8").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(f(true, false).canonical("10.1.2.3"), None);
    }

    #[test]
    fn mapped_networks_are_ipv4() {
        assert_eq!(parse_net("::ffff:10.0.0.1/128"), Some("10.0.0.1/32".parse().unwrap()));
        assert_eq!(parse_net("::ffff:10.0.0.0/104"), Some("10.0.0.0/8".parse().unwrap()));
        assert_eq!(parse_net("fd00::/8"), Some("fd00::/8".parse().unwrap()));
    }
}
