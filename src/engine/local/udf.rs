//! Functions the embedded engine adds to DataFusion so the library's local dialect runs:
//! `cidr_contains(cidr, address)`. Addresses compare as Trino's IPADDRESS does: an IPv4-mapped
//! IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address. A value that is not an address (NODATA
//! rows' `-`) gives NULL, as TRY_CAST does on Athena. It must not know about files or tables.

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

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CidrContains {
    signature: Signature,
}

impl CidrContains {
    pub fn udf() -> ScalarUDF {
        ScalarUDF::new_from_impl(CidrContains { signature: Signature::string(2, Volatility::Immutable) })
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
        "cidr_contains"
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
        if let ColumnarValue::Scalar(s) = net {
            let net = match s {
                ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v) => {
                    v.as_deref().and_then(parse_net)
                }
                _ => None,
            };
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
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let nets = map_nets(&arrays[0])?;
        let mut i = 0;
        let out = map_strings(&arrays[1], |v| {
            let n = nets[i];
            i += 1;
            Some(n?.contains(&parse_ip(v?)?))
        })?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

fn map_nets(a: &ArrayRef) -> datafusion::common::Result<Vec<Option<IpNet>>> {
    let mut out = Vec::with_capacity(a.len());
    map_strings(a, |v| {
        out.push(v.and_then(parse_net));
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
    fn mapped_networks_are_ipv4() {
        assert_eq!(parse_net("::ffff:10.0.0.1/128"), Some("10.0.0.1/32".parse().unwrap()));
        assert_eq!(parse_net("::ffff:10.0.0.0/104"), Some("10.0.0.0/8".parse().unwrap()));
        assert_eq!(parse_net("fd00::/8"), Some("fd00::/8".parse().unwrap()));
    }
}
