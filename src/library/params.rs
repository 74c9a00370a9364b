//! Query parameters: their declared types, and the validation that turns a user's text
//! (`--param limit=10`) or a header default into a typed template value. Every value that
//! reaches a template went through `ParamSpec::parse`; strings still need an escaping filter there.
//! It must not render SQL.

use std::net::IpAddr;

use ipnet::IpNet;
use minijinja::Value;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    Int,
    String,
    Ip,
    Cidr,
    Port,
    Enum,
    Bool,
    Duration,
}

/// Where a default can come from besides the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultFrom {
    /// `vpc_cidrs` from settings: the internal networks.
    VpcCidrs,
}

/// A parameter as declared in a query header.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    #[serde(skip)]
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    #[serde(default)]
    pub description: String,
    /// The default, in the same text form a user would pass (lists as YAML lists).
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    #[serde(default)]
    pub default_from: Option<DefaultFrom>,
    /// A comma-separated list of values of `type`.
    #[serde(default)]
    pub list: bool,
    /// Bounds for int and duration (durations as `5m`, `1h`).
    #[serde(default)]
    pub min: Option<serde_yaml::Value>,
    #[serde(default)]
    pub max: Option<serde_yaml::Value>,
    /// Allowed values for enum.
    #[serde(default)]
    pub values: Vec<String>,
    /// Longest string accepted (default 256).
    #[serde(default)]
    pub max_length: Option<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParamError {
    #[error("`{value}` is not {expected}")]
    Invalid { value: String, expected: String },
    #[error("{value} is below the minimum {min}")]
    TooSmall { value: String, min: String },
    #[error("{value} is above the maximum {max}")]
    TooLarge { value: String, max: String },
    #[error("`{value}` is not one of: {allowed}")]
    NotAllowed { value: String, allowed: String },
    #[error("the value is {len} characters long; at most {max} are accepted")]
    TooLong { len: usize, max: usize },
    #[error("the value holds a control character")]
    Control,
    #[error("`{0}` has host bits set; the network is `{1}`")]
    HostBits(String, String),
    #[error("the list is empty")]
    EmptyList,
    #[error("{0}")]
    Spec(String),
}

/// Parses `30s`, `5m`, `1h`, `2d` (or bare seconds) into seconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: i64 = num.parse().ok()?;
    let mult = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn yaml_to_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl ParamType {
    /// An Athena literal of this type, for a description of a `?` parameter.
    pub fn example(self) -> &'static str {
        match self {
            ParamType::Int | ParamType::Duration => "100",
            ParamType::Port => "443",
            ParamType::String | ParamType::Enum => "'text'",
            ParamType::Ip => "'10.0.0.5'",
            ParamType::Cidr => "'10.0.0.0/16'",
            ParamType::Bool => "true",
        }
    }
}

impl ParamSpec {
    fn invalid(&self, value: &str) -> ParamError {
        let expected = match self.ty {
            ParamType::Int => "a whole number",
            ParamType::String => "a string",
            ParamType::Ip => "an IPv4 or IPv6 address",
            ParamType::Cidr => "a CIDR block such as 10.0.0.0/16",
            ParamType::Port => "a port number (0-65535)",
            ParamType::Enum => "one of the allowed values",
            ParamType::Bool => "true or false",
            ParamType::Duration => "a duration such as 30s, 5m, 1h or 2d",
        };
        ParamError::Invalid { value: value.to_string(), expected: expected.to_string() }
    }

    fn bound(&self, b: &Option<serde_yaml::Value>) -> Result<Option<i64>, ParamError> {
        let Some(b) = b else { return Ok(None) };
        let text =
            yaml_to_text(b).ok_or_else(|| ParamError::Spec("min/max must be a number or duration".into()))?;
        let n = match self.ty {
            ParamType::Duration => parse_duration(&text),
            _ => text.parse().ok(),
        };
        n.map(Some).ok_or_else(|| ParamError::Spec(format!("bound `{text}` does not fit type {:?}", self.ty)))
    }

    /// A value of the parameter's type, for rendering a query that has no default.
    pub fn sample(&self) -> String {
        match self.ty {
            ParamType::Ip => "10.0.0.1",
            ParamType::Cidr => "10.0.0.0/8",
            ParamType::Port => "443",
            ParamType::Bool => "true",
            ParamType::Duration => "1h",
            ParamType::Enum => return self.values.first().cloned().unwrap_or_default(),
            ParamType::Int => {
                return self.min.as_ref().and_then(serde_yaml::Value::as_i64).unwrap_or(1).to_string();
            }
            ParamType::String => "x",
        }
        .to_string()
    }

    /// Checks the declaration itself (bounds fit the type, enums have values, default is valid).
    pub fn check(&self) -> Result<(), ParamError> {
        if !matches!(self.ty, ParamType::Int | ParamType::Duration)
            && (self.min.is_some() || self.max.is_some())
        {
            return Err(ParamError::Spec("min/max apply only to int and duration".into()));
        }
        if let (Some(lo), Some(hi)) = (self.bound(&self.min)?, self.bound(&self.max)?)
            && lo > hi
        {
            return Err(ParamError::Spec(format!("min ({lo}) is above max ({hi})")));
        }
        if (self.ty == ParamType::Enum) == self.values.is_empty() {
            return Err(ParamError::Spec("`values` is required for enum, and only for enum".into()));
        }
        if self.default.is_some() && self.default_from.is_some() {
            return Err(ParamError::Spec("give `default` or `default_from`, not both".into()));
        }
        if self.default_from == Some(DefaultFrom::VpcCidrs) && !(self.ty == ParamType::Cidr && self.list) {
            return Err(ParamError::Spec("default_from: vpc_cidrs needs type: cidr with list: true".into()));
        }
        if let Some(d) = &self.default {
            self.parse_default(d)?;
        }
        Ok(())
    }

    /// Validates the header default (a scalar, or a YAML list for list parameters).
    pub fn parse_default(&self, d: &serde_yaml::Value) -> Result<Value, ParamError> {
        match d {
            serde_yaml::Value::Sequence(items) if self.list => {
                let texts: Option<Vec<String>> = items.iter().map(yaml_to_text).collect();
                let texts = texts.ok_or_else(|| ParamError::Spec("list defaults hold scalars".into()))?;
                self.parse_items(texts.iter().map(String::as_str))
            }
            other => {
                let text = yaml_to_text(other)
                    .ok_or_else(|| ParamError::Spec("the default must be a scalar".into()))?;
                self.parse(&text)
            }
        }
    }

    /// Validates a user's value. List parameters take comma-separated items.
    pub fn parse(&self, text: &str) -> Result<Value, ParamError> {
        if self.list {
            self.parse_items(text.split(',').map(str::trim).filter(|s| !s.is_empty()))
        } else {
            self.parse_one(text)
        }
    }

    fn parse_items<'a>(&self, items: impl Iterator<Item = &'a str>) -> Result<Value, ParamError> {
        let values = items.map(|i| self.parse_one(i)).collect::<Result<Vec<_>, _>>()?;
        if values.is_empty() {
            return Err(ParamError::EmptyList);
        }
        Ok(Value::from(values))
    }

    fn parse_one(&self, raw: &str) -> Result<Value, ParamError> {
        if raw.chars().any(char::is_control) {
            return Err(ParamError::Control);
        }
        let text = raw.trim();
        match self.ty {
            ParamType::Int | ParamType::Port | ParamType::Duration => {
                let n = match self.ty {
                    ParamType::Duration => parse_duration(text),
                    _ => text.parse::<i64>().ok(),
                }
                .ok_or_else(|| self.invalid(raw))?;
                let (min, max) = match self.ty {
                    ParamType::Port => (Some(0), Some(65_535)),
                    _ => (self.bound(&self.min)?, self.bound(&self.max)?),
                };
                if let Some(min) = min.filter(|m| n < *m) {
                    return Err(ParamError::TooSmall { value: text.into(), min: min.to_string() });
                }
                if let Some(max) = max.filter(|m| n > *m) {
                    return Err(ParamError::TooLarge { value: text.into(), max: max.to_string() });
                }
                Ok(Value::from(n))
            }
            ParamType::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Ok(Value::from(true)),
                "false" | "no" | "0" | "off" => Ok(Value::from(false)),
                _ => Err(self.invalid(raw)),
            },
            ParamType::Ip => {
                text.parse::<IpAddr>().map(|ip| Value::from(ip.to_string())).map_err(|_| self.invalid(raw))
            }
            ParamType::Cidr => {
                let net: IpNet = text.parse().map_err(|_| self.invalid(raw))?;
                if net.trunc() != net {
                    return Err(ParamError::HostBits(text.into(), net.trunc().to_string()));
                }
                Ok(Value::from(net.to_string()))
            }
            ParamType::Enum => {
                if self.values.iter().any(|v| v == text) {
                    Ok(Value::from(text))
                } else {
                    Err(ParamError::NotAllowed { value: text.into(), allowed: self.values.join(", ") })
                }
            }
            ParamType::String => {
                let max = self.max_length.unwrap_or(256);
                let len = raw.chars().count();
                if len > max {
                    return Err(ParamError::TooLong { len, max });
                }
                // Kept exactly as given: the escaping filter makes any text safe.
                Ok(Value::from(raw))
            }
        }
    }

    /// A one-line summary for `athq list` and `athq show`: `int 1..10000 = 25`.
    pub fn summary(&self) -> String {
        let mut s = format!("{:?}", self.ty).to_lowercase();
        if self.list {
            s.push_str(" list");
        }
        if self.ty == ParamType::Enum {
            s.push_str(&format!(" [{}]", self.values.join("|")));
        }
        match (self.min.as_ref().and_then(yaml_to_text), self.max.as_ref().and_then(yaml_to_text)) {
            (Some(a), Some(b)) => s.push_str(&format!(" {a}..{b}")),
            (Some(a), None) => s.push_str(&format!(" >= {a}")),
            (None, Some(b)) => s.push_str(&format!(" <= {b}")),
            (None, None) => {}
        }
        match (&self.default, self.default_from) {
            (Some(serde_yaml::Value::Sequence(items)), _) => {
                let items: Vec<_> = items.iter().filter_map(yaml_to_text).collect();
                s.push_str(&format!(" = {}", items.join(",")));
            }
            (Some(d), _) => s.push_str(&format!(" = {}", yaml_to_text(d).unwrap_or_default())),
            (None, Some(DefaultFrom::VpcCidrs)) => s.push_str(" = vpc_cidrs"),
            (None, None) => s.push_str(" (required)"),
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> ParamSpec {
        let s: ParamSpec = serde_yaml::from_str(yaml).unwrap();
        s.check().unwrap();
        s
    }

    #[test]
    fn ints_respect_bounds() {
        let p = spec("{type: int, min: 1, max: 100, default: 10}");
        assert_eq!(p.parse("42").unwrap(), Value::from(42));
        assert!(matches!(p.parse("0"), Err(ParamError::TooSmall { .. })));
        assert!(matches!(p.parse("101"), Err(ParamError::TooLarge { .. })));
        assert!(matches!(p.parse("1; DROP"), Err(ParamError::Invalid { .. })));
    }

    #[test]
    fn addresses_and_networks_are_canonical() {
        let ip = spec("{type: ip}");
        assert_eq!(ip.parse("2001:DB8::1").unwrap(), Value::from("2001:db8::1"));
        assert!(ip.parse("10.0.0.256").is_err());
        assert!(ip.parse("10.0.0.1' OR '1'='1").is_err());
        let cidr = spec("{type: cidr, list: true}");
        assert_eq!(
            cidr.parse("10.0.0.0/16, 192.168.0.0/24").unwrap(),
            Value::from(vec!["10.0.0.0/16", "192.168.0.0/24"])
        );
        assert_eq!(
            cidr.parse("10.0.0.5/16"),
            Err(ParamError::HostBits("10.0.0.5/16".into(), "10.0.0.0/16".into()))
        );
        assert_eq!(cidr.parse(" , "), Err(ParamError::EmptyList));
    }

    #[test]
    fn ports_durations_enums_bools() {
        assert!(spec("{type: port}").parse("65536").is_err());
        let ports = spec("{type: port, list: true, default: [22, 3389]}");
        assert_eq!(
            ports.parse_default(ports.default.as_ref().unwrap()).unwrap(),
            Value::from(vec![22, 3389])
        );
        let d = spec("{type: duration, min: 1m, max: 1d}");
        assert_eq!(d.parse("5m").unwrap(), Value::from(300));
        assert!(d.parse("2d").is_err());
        assert!(d.parse("5 minutes").is_err());
        let e = spec("{type: enum, values: [ACCEPT, REJECT]}");
        assert!(e.parse("REJECT").is_ok());
        assert!(matches!(e.parse("reject"), Err(ParamError::NotAllowed { .. })));
        assert_eq!(spec("{type: bool}").parse("yes").unwrap(), Value::from(true));
    }

    #[test]
    fn strings_keep_their_text_but_not_control_characters() {
        let s = spec("{type: string, max_length: 8}");
        assert_eq!(s.parse("it's").unwrap(), Value::from("it's"));
        assert_eq!(s.parse("a\nb"), Err(ParamError::Control));
        assert!(matches!(s.parse("123456789"), Err(ParamError::TooLong { .. })));
    }

    #[test]
    fn bad_declarations_are_caught() {
        let bad = |y: &str| {
            serde_yaml::from_str::<ParamSpec>(y)
                .map_err(|e| e.to_string())
                .and_then(|s| s.check().map_err(|e| e.to_string()))
        };
        assert!(bad("{type: integer}").is_err());
        assert!(bad("{type: enum}").is_err());
        assert!(bad("{type: int, default: ten}").is_err());
        assert!(bad("{type: string, min: 1}").is_err());
        assert!(bad("{type: int, colour: red}").is_err());
    }
}
