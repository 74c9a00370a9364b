//! Dialects: the few SQL forms where Athena (Trino) and the embedded engine differ, written once
//! as template functions so no query is copied per engine. Athena is the reference.
//! Each function validates its arguments again (columns must be flow-log fields the query declared,
//! networks must parse), so even a careless template cannot splice text into SQL.

use ipnet::IpNet;
use minijinja::value::ValueKind;
use minijinja::{Error, ErrorKind, Value};

use crate::sql::{literal, safe};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// Amazon Athena (Trino engine)
    Athena,
    /// athq's embedded engine
    Local,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Athena => "athena",
            Dialect::Local => "local",
        }
    }
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// Checks that `column` is one of the fields the query declared, and returns it as SQL.
pub fn column(declared: &[String], column: &str) -> Result<String, Error> {
    if declared.iter().any(|c| c == column) {
        Ok(column.to_string())
    } else {
        Err(invalid(format!(
            "`{column}` is not among the query's declared fields ({}); add it to `fields:`",
            declared.join(", ")
        )))
    }
}

/// What `networks` says when a parameter defaulting to `vpc_cidrs` is used with none configured;
/// the renderer turns it into `RenderError::NoVpcCidrs`.
pub const NO_NETWORKS: &str = "no internal networks are configured";

fn networks(value: &Value) -> Result<Vec<IpNet>, Error> {
    if value.is_undefined() {
        return Err(invalid(NO_NETWORKS.into()));
    }
    let items: Vec<Value> = match value.kind() {
        ValueKind::Seq | ValueKind::Iterable => value.try_iter()?.collect(),
        _ => vec![value.clone()],
    };
    let nets = items
        .iter()
        .map(|v| {
            v.as_str()
                .and_then(|s| s.parse::<IpNet>().ok())
                .ok_or_else(|| invalid(format!("`{v}` is not a CIDR block")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if nets.is_empty() {
        return Err(invalid("no networks given".into()));
    }
    Ok(nets)
}

/// `column` lies in any of `cidrs`. NODATA rows (no address) match nothing.
pub fn cidr_match(dialect: Dialect, column: &str, cidrs: &Value) -> Result<Value, Error> {
    let tests: Vec<String> = networks(cidrs)?
        .iter()
        .map(|net| match dialect {
            Dialect::Athena => {
                format!("contains({}, TRY_CAST({column} AS IPADDRESS))", literal(&net.to_string()))
            }
            Dialect::Local => format!("cidr_contains({}, {column})", literal(&net.to_string())),
        })
        .collect();
    Ok(safe(if tests.len() == 1 {
        tests.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", tests.join(" OR "))
    }))
}

/// `column` is the address `ip`, compared as addresses (IPv6 spellings differ). An IPv4-mapped
/// IPv6 address is the IPv4 address, as Trino's IPADDRESS has it, on both engines.
pub fn ip_match(dialect: Dialect, column: &str, ip: &Value) -> Result<Value, Error> {
    if crate::sql::slot_name(ip).is_some() {
        return match dialect {
            Dialect::Athena => Ok(safe(format!("TRY_CAST({column} AS IPADDRESS) = CAST({ip} AS IPADDRESS)"))),
            Dialect::Local => Err(invalid("the embedded engine needs the address itself, not a `?`".into())),
        };
    }
    let ip: std::net::IpAddr = ip
        .as_str()
        .and_then(|s| s.parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .ok_or_else(|| invalid(format!("`{ip}` is not an IP address")))?;
    Ok(safe(match dialect {
        Dialect::Athena => {
            format!("TRY_CAST({column} AS IPADDRESS) = IPADDRESS {}", literal(&ip.to_string()))
        }
        Dialect::Local => format!("cidr_contains({}, {column})", literal(&IpNet::from(ip).to_string())),
    }))
}

/// `port:count` for the rows of a group whose `rank` is at most `top`, most first, joined with
/// `, `: the ports a source tried most. Columns are plain names (checked) and `top` a number, so
/// nothing else can reach the SQL.
pub fn port_list(dialect: Dialect, port: &str, count: &str, rank: &str, top: &Value) -> Result<Value, Error> {
    let top = top.as_i64().filter(|n| *n > 0).ok_or_else(|| invalid(format!("`{top}` is not a count")))?;
    for c in [port, count, rank] {
        plain(c)?;
    }
    let item = format!("CAST({port} AS VARCHAR) || ':' || CAST({count} AS VARCHAR)");
    let order = format!("{count} DESC, {port}");
    let filter = format!("FILTER (WHERE {rank} <= {top})");
    Ok(safe(match dialect {
        Dialect::Athena => format!("array_join(array_agg({item} ORDER BY {order}) {filter}, ', ')"),
        Dialect::Local => format!("string_agg({item}, ', ' ORDER BY {order}) {filter}"),
    }))
}

/// Checks that `c` is a plain column name (of a query's own subquery, not necessarily a field).
fn plain(c: &str) -> Result<&str, Error> {
    if c.is_empty() || !c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(invalid(format!("`{c}` is not a column name")));
    }
    Ok(c)
}

/// The median of `column` in a group: Athena's approximate percentile, the embedded engine's exact
/// median (Athena's is within about 1% of it).
pub fn median(dialect: Dialect, column: &str) -> Result<Value, Error> {
    let c = plain(column)?;
    Ok(safe(match dialect {
        Dialect::Athena => format!("approx_percentile({c}, 0.5)"),
        Dialect::Local => format!("median({c})"),
    }))
}

/// The IANA name of the common protocols, the number otherwise.
pub fn protocol_name(column: &str) -> Value {
    safe(format!(
        "CASE {column} WHEN 6 THEN 'TCP' WHEN 17 THEN 'UDP' WHEN 1 THEN 'ICMP' WHEN 58 THEN 'ICMPv6' \
         WHEN 47 THEN 'GRE' WHEN 50 THEN 'ESP' ELSE CAST({column} AS VARCHAR) END"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_tests_per_dialect() {
        let nets = Value::from(vec!["10.0.0.0/16", "fd00::/8"]);
        assert_eq!(
            cidr_match(Dialect::Athena, "srcaddr", &nets).unwrap().to_string(),
            "(contains('10.0.0.0/16', TRY_CAST(srcaddr AS IPADDRESS)) OR contains('fd00::/8', TRY_CAST(srcaddr AS IPADDRESS)))"
        );
        assert_eq!(
            cidr_match(Dialect::Local, "dstaddr", &Value::from("10.0.0.0/8")).unwrap().to_string(),
            "cidr_contains('10.0.0.0/8', dstaddr)"
        );
        assert!(cidr_match(Dialect::Athena, "srcaddr", &Value::from("10.0.0.0/8') OR (1=1")).is_err());
        assert!(cidr_match(Dialect::Athena, "srcaddr", &Value::from(Vec::<String>::new())).is_err());
    }

    #[test]
    fn ip_match_compares_addresses() {
        assert_eq!(
            ip_match(Dialect::Athena, "srcaddr", &Value::from("10.1.2.3")).unwrap().to_string(),
            "TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.1.2.3'"
        );
        assert_eq!(
            ip_match(Dialect::Local, "srcaddr", &Value::from("2001:db8::1")).unwrap().to_string(),
            "cidr_contains('2001:db8::1/128', srcaddr)"
        );
        assert!(ip_match(Dialect::Local, "srcaddr", &Value::from("x")).is_err());
        for d in [Dialect::Athena, Dialect::Local] {
            assert_eq!(
                ip_match(d, "srcaddr", &Value::from("::ffff:10.1.2.3")).unwrap().to_string(),
                ip_match(d, "srcaddr", &Value::from("10.1.2.3")).unwrap().to_string()
            );
        }
    }

    #[test]
    fn columns_must_be_declared() {
        let declared = vec!["srcaddr".to_string()];
        assert!(column(&declared, "srcaddr").is_ok());
        assert!(column(&declared, "srcaddr) OR (1=1").is_err());
    }
}
