//! Functions and types the embedded engine adds to DataFusion so the library's local dialect and
//! Athena's own SQL run: `cidr_contains(cidr, address)`; Trino's `contains(cidr, address)` (still
//! a substring test when the first argument is not a network); `is_subnet_of(prefix, address or
//! prefix)`; and the `IPADDRESS` and `IPPREFIX` types, planned as strings so
//! `CAST(srcaddr AS IPADDRESS)` runs as written. Addresses compare as Trino's
//! IPADDRESS does: an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address. A value
//! that is not an address (NODATA rows' `-`) gives NULL, as TRY_CAST does on Athena.
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

/// An address as Trino compares it: IPv4-mapped IPv6 is IPv4.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
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

    /// Replaces DataFusion's `contains`.
    pub fn trino_contains() -> ScalarUDF {
        CidrContains::function(Mode::Contains)
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
        Ok(match sql_type {
            Sql::Custom(name, modifiers)
                if modifiers.is_empty()
                    && ["ipaddress", "ipprefix"].iter().any(|t| name.to_string().eq_ignore_ascii_case(t)) =>
            {
                Some(Arc::new(datafusion::arrow::datatypes::Field::new("", DataType::Utf8, true)))
            }
            _ => None,
        })
    }
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

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::common::Result<ColumnarValue> {
        let [net, addr] = args.args.as_slice() else {
            return Err(DataFusionError::Execution("cidr_contains takes two arguments".into()));
        };
        // The network is almost always a constant: parse it once.
        if let ColumnarValue::Scalar(s) = net
            && let ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) = s
            && let Some(net) = v.as_deref().and_then(parse_net)
            && self.mode != Mode::SubnetOf
        {
            let net = Some(net);
            return Ok(match addr {
                ColumnarValue::Scalar(a) => {
                    let a = a.to_array()?;
                    let out = map_strings(&a, |v| Some(net?.contains(&parse_ip(v?)?)))?;
                    ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?)
                }
                ColumnarValue::Array(a) => {
                    ColumnarValue::Array(Arc::new(map_strings(a, |v| Some(net?.contains(&parse_ip(v?)?)))?))
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
        Ok(match scalar {
            true => ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?),
            false => ColumnarValue::Array(Arc::new(out)),
        })
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
    fn mapped_networks_are_ipv4() {
        assert_eq!(parse_net("::ffff:10.0.0.1/128"), Some("10.0.0.1/32".parse().unwrap()));
        assert_eq!(parse_net("::ffff:10.0.0.0/104"), Some("10.0.0.0/8".parse().unwrap()));
        assert_eq!(parse_net("fd00::/8"), Some("fd00::/8".parse().unwrap()));
    }
}
