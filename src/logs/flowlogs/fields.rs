//! The VPC Flow Logs field catalog: every field AWS documents, the format version that introduced it,
//! its Athena type, and the named field sets (`v2` … `v5`, `all`) and custom lists users give.
//! It owns field names and column naming; it must not know about layouts or SQL statements.

use std::fmt;

/// One flow-log field as AWS names it (`log-status`) with its column name (`log_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub aws_name: &'static str,
    pub version: u8,
    pub athena_type: &'static str,
}

impl Field {
    /// The column name: hyphens become underscores, as AWS does for Parquet and its own DDL.
    pub fn column(&self) -> String {
        self.aws_name.replace('-', "_")
    }
}

macro_rules! fields {
    ($(($name:literal, $version:literal, $ty:literal)),* $(,)?) => {
        &[$(Field { aws_name: $name, version: $version, athena_type: $ty }),*]
    };
}

/// Every documented field in AWS's table order: the default (v2) format is the first 14, in this order.
pub const CATALOG: &[Field] = fields![
    ("version", 2, "int"),
    ("account-id", 2, "string"),
    ("interface-id", 2, "string"),
    ("srcaddr", 2, "string"),
    ("dstaddr", 2, "string"),
    ("srcport", 2, "int"),
    ("dstport", 2, "int"),
    ("protocol", 2, "bigint"),
    ("packets", 2, "bigint"),
    ("bytes", 2, "bigint"),
    ("start", 2, "bigint"),
    ("end", 2, "bigint"),
    ("action", 2, "string"),
    ("log-status", 2, "string"),
    ("vpc-id", 3, "string"),
    ("subnet-id", 3, "string"),
    ("instance-id", 3, "string"),
    ("tcp-flags", 3, "int"),
    ("type", 3, "string"),
    ("pkt-srcaddr", 3, "string"),
    ("pkt-dstaddr", 3, "string"),
    ("region", 4, "string"),
    ("az-id", 4, "string"),
    ("sublocation-type", 4, "string"),
    ("sublocation-id", 4, "string"),
    ("pkt-src-aws-service", 5, "string"),
    ("pkt-dst-aws-service", 5, "string"),
    ("flow-direction", 5, "string"),
    ("traffic-path", 5, "int"),
    ("ecs-cluster-arn", 7, "string"),
    ("ecs-cluster-name", 7, "string"),
    ("ecs-container-instance-arn", 7, "string"),
    ("ecs-container-instance-id", 7, "string"),
    ("ecs-container-id", 7, "string"),
    ("ecs-second-container-id", 7, "string"),
    ("ecs-service-name", 7, "string"),
    ("ecs-task-definition-arn", 7, "string"),
    ("ecs-task-arn", 7, "string"),
    ("ecs-task-id", 7, "string"),
    ("reject-reason", 8, "string"),
    ("resource-id", 9, "string"),
    ("encryption-status", 10, "int"),
    // Version 11 (June 2026): the tag values a flow log's TagFieldSpecifications name, by resource
    // type (instance, network interface, Auto Scaling group), and the next-hop metadata.
    ("instance-tag", 11, "string"),
    ("instance-tag-2", 11, "string"),
    ("interface-tag", 11, "string"),
    ("interface-tag-2", 11, "string"),
    ("asg-tag", 11, "string"),
    ("asg-tag-2", 11, "string"),
    ("interface-type", 11, "string"),
    ("next-hop-interface-id", 11, "string"),
    ("next-hop-subnet-id", 11, "string"),
    ("next-hop-az-id", 11, "string"),
    ("next-hop-vpc-id", 11, "string"),
    ("next-hop-interface-type", 11, "string"),
];

/// Looks a field up by its AWS name (`log-status`), column name (`log_status`) or `${log-status}`.
pub fn lookup(name: &str) -> Option<&'static Field> {
    let name = name.trim();
    let name = name.strip_prefix("${").and_then(|n| n.strip_suffix('}')).unwrap_or(name);
    let wanted = name.replace('_', "-");
    CATALOG.iter().find(|f| f.aws_name == wanted)
}

/// An ordered list of fields: the table's columns, in the order the log files carry them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSet {
    fields: Vec<&'static Field>,
    /// How the user named it (`v2`, `all`, or `custom`), for messages.
    label: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FieldSetError {
    #[error("unknown flow-log field `{0}`")]
    UnknownField(String),
    #[error("field `{0}` is listed twice")]
    Duplicate(String),
    #[error("the field list is empty")]
    Empty,
}

impl FieldSet {
    /// Parses `v2`…`v11`, `all`, or a custom list: space- or comma-separated names, with or
    /// without `${…}`, exactly as AWS's LogFormat string writes them.
    pub fn parse(spec: &str) -> Result<FieldSet, FieldSetError> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("all") {
            return Ok(FieldSet { fields: CATALOG.iter().collect(), label: "all".into() });
        }
        if let Some(v) = spec.strip_prefix(['v', 'V']).and_then(|v| v.parse::<u8>().ok())
            && (2..=11).contains(&v)
        {
            return Ok(FieldSet {
                fields: CATALOG.iter().filter(|f| f.version <= v).collect(),
                label: format!("v{v}"),
            });
        }
        Self::from_names(spec.split([' ', ',', '\t', '\n']).filter(|s| !s.is_empty()))
    }

    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<FieldSet, FieldSetError> {
        let mut fields: Vec<&'static Field> = Vec::new();
        for name in names {
            let field = lookup(name).ok_or_else(|| FieldSetError::UnknownField(name.to_string()))?;
            if fields.contains(&field) {
                return Err(FieldSetError::Duplicate(field.aws_name.to_string()));
            }
            fields.push(field);
        }
        if fields.is_empty() {
            return Err(FieldSetError::Empty);
        }
        Ok(FieldSet { fields, label: "custom".into() })
    }

    pub fn default_v2() -> FieldSet {
        FieldSet::parse("v2").expect("v2 is a known field set")
    }

    pub fn fields(&self) -> &[&'static Field] {
        &self.fields
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn contains_column(&self, column: &str) -> bool {
        self.fields.iter().any(|f| f.column() == column)
    }
}

impl fmt::Display for FieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_is_the_default_fourteen_in_order() {
        let set = FieldSet::parse("v2").unwrap();
        let names: Vec<_> = set.fields().iter().map(|f| f.aws_name).collect();
        assert_eq!(
            names.join(" "),
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        );
    }

    #[test]
    fn versions_are_cumulative() {
        assert_eq!(FieldSet::parse("v3").unwrap().fields().len(), 21);
        assert_eq!(FieldSet::parse("v4").unwrap().fields().len(), 25);
        assert_eq!(FieldSet::parse("v5").unwrap().fields().len(), 29);
        assert_eq!(FieldSet::parse("all").unwrap().fields().len(), CATALOG.len());
        // Third-party modules written against AWS's table call v10 "the 42 fields".
        assert_eq!(FieldSet::parse("v10").unwrap().fields().len(), 42);
        assert_eq!(FieldSet::parse("v11").unwrap().fields().len(), 54);
    }

    #[test]
    fn custom_lists_keep_their_order_in_every_spelling() {
        let a = FieldSet::parse("${srcaddr} ${dstaddr} ${log-status}").unwrap();
        let b = FieldSet::parse("srcaddr,dstaddr,log_status").unwrap();
        assert_eq!(a.fields(), b.fields());
        assert_eq!(a.fields()[2].column(), "log_status");
    }

    #[test]
    fn bad_lists_are_errors() {
        assert_eq!(FieldSet::parse("srcaddr dstadr"), Err(FieldSetError::UnknownField("dstadr".into())));
        assert_eq!(FieldSet::parse("srcaddr srcaddr"), Err(FieldSetError::Duplicate("srcaddr".into())));
        assert_eq!(FieldSet::parse(" "), Err(FieldSetError::Empty));
        assert!(FieldSet::parse("v12").is_err());
    }
}
