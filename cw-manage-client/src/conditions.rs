//! Builder for Manage's `conditions`, `childConditions`, `customFieldConditions`, `orderBy`, `fields`
//! and `pageSize` query parameters.
//!
//! Values are never spliced in as text: strings become one double-quoted literal with `\` and `"`
//! escaped, dates are written `[yyyy-MM-ddTHH:mm:ssZ]`, numbers must be finite, and field paths must be
//! `name(/name)*` identifiers, so no input can change what a query means.
//!
//! ```
//! use cw_manage_client::conditions::{field, Query};
//! let q = Query::new()
//!     .filter(field("company/id").eq(250).and(field("name").contains("Smith \"Jr\"")))
//!     .fields(["id", "name"]);
//! let params = q.params().unwrap();
//! assert_eq!(params[0], ("conditions", "company/id = 250 and name contains \"Smith \\\"Jr\\\"\"".to_string()));
//! assert!(params.contains(&("pageSize", "1000".to_string())));
//! ```

use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// Manage's maximum page size, and this crate's default (the vendor default of 25 silently truncates
/// callers that forget to page).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Why a condition or query could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConditionError {
    /// A field path is not `name(/name)*` made of letters, digits and `_`.
    #[error("invalid field path {0:?}: use names of letters, digits and '_' separated by '/'")]
    InvalidField(String),
    /// `in (...)` with no values: Manage rejects it, and it would select nothing.
    #[error("an 'in' list needs at least one value")]
    EmptyList,
    /// `all([])` or `any([])`.
    #[error("an and/or group needs at least one condition")]
    EmptyGroup,
    /// NaN or infinity.
    #[error("numbers in conditions must be finite")]
    NonFiniteNumber,
}

/// A literal on the right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string: rendered as one double-quoted, escaped literal.
    String(String),
    /// An integer.
    Int(i64),
    /// A finite decimal.
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A UTC timestamp: rendered `[yyyy-MM-ddTHH:mm:ssZ]`.
    DateTime(DateTime<Utc>),
    /// `null`.
    Null,
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::String(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::String(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::String(v.clone())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Self::Int(v.into())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self::Int(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Self::DateTime(v)
    }
}

macro_rules! ids_into_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Self::Int(v.get())
            }
        }
    )*};
}
ids_into_value!(
    crate::CompanyId,
    crate::CompanyStatusId,
    crate::CompanyTypeId,
    crate::ContactId,
    crate::SiteId,
    crate::ConfigurationId,
    crate::ConfigurationTypeId,
    crate::ConfigurationStatusId,
    crate::TicketId,
    crate::BoardId,
    crate::StatusId,
    crate::PriorityId,
    crate::MemberId,
    crate::OpportunityId,
    crate::LocationId,
    crate::MarketId
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    NotContains,
    Like,
    NotLike,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::NotContains => "not contains",
            Op::Like => "like",
            Op::NotLike => "not like",
        }
    }

    fn is_pattern(self) -> bool {
        matches!(
            self,
            Op::Contains | Op::NotContains | Op::Like | Op::NotLike
        )
    }
}

/// A field path such as `name`, `company/id` or `_info/lastUpdated`; checked when the query renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field(String);

/// Starts a comparison on `path` (`"company/id"`).
pub fn field(path: impl Into<String>) -> Field {
    Field(path.into())
}

impl Field {
    fn cmp(self, op: Op, value: Value) -> Condition {
        Condition(Node::Cmp {
            field: self,
            op,
            value,
        })
    }

    /// `field = value`.
    pub fn eq(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Eq, value.into())
    }
    /// `field != value`.
    pub fn ne(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Ne, value.into())
    }
    /// `field < value`.
    pub fn lt(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Lt, value.into())
    }
    /// `field <= value`.
    pub fn le(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Le, value.into())
    }
    /// `field > value`.
    pub fn gt(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Gt, value.into())
    }
    /// `field >= value`.
    pub fn ge(self, value: impl Into<Value>) -> Condition {
        self.cmp(Op::Ge, value.into())
    }
    /// `field contains "text"`: `text` is matched literally.
    pub fn contains(self, text: impl Into<String>) -> Condition {
        self.cmp(Op::Contains, Value::String(text.into()))
    }
    /// `field not contains "text"`.
    pub fn not_contains(self, text: impl Into<String>) -> Condition {
        self.cmp(Op::NotContains, Value::String(text.into()))
    }
    /// `field like "pattern"`: `%` is the wildcard; `[` is escaped as `[[]` so it stays literal.
    pub fn like(self, pattern: impl Into<String>) -> Condition {
        self.cmp(Op::Like, Value::String(pattern.into()))
    }
    /// `field not like "pattern"`.
    pub fn not_like(self, pattern: impl Into<String>) -> Condition {
        self.cmp(Op::NotLike, Value::String(pattern.into()))
    }
    /// `field = null`.
    pub fn is_null(self) -> Condition {
        self.cmp(Op::Eq, Value::Null)
    }
    /// `field != null`.
    pub fn not_null(self) -> Condition {
        self.cmp(Op::Ne, Value::Null)
    }
    /// `field in (v1, v2, ...)`; an empty list fails to render.
    pub fn is_in<V: Into<Value>>(self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition(Node::In {
            field: self,
            values: values.into_iter().map(Into::into).collect(),
            negated: false,
        })
    }
    /// `field not in (v1, v2, ...)`.
    pub fn not_in<V: Into<Value>>(self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition(Node::In {
            field: self,
            values: values.into_iter().map(Into::into).collect(),
            negated: true,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Cmp {
        field: Field,
        op: Op,
        value: Value,
    },
    In {
        field: Field,
        values: Vec<Value>,
        negated: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
}

/// A condition tree. Combine with [`Condition::and`], [`Condition::or`], [`Condition::all`],
/// [`Condition::any`]; nested groups are parenthesised.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition(Node);

impl Condition {
    /// `self and other`.
    pub fn and(self, other: Condition) -> Condition {
        Condition(match self.0 {
            Node::And(mut v) => {
                v.push(other.0);
                Node::And(v)
            }
            n => Node::And(vec![n, other.0]),
        })
    }

    /// `self or other`.
    pub fn or(self, other: Condition) -> Condition {
        Condition(match self.0 {
            Node::Or(mut v) => {
                v.push(other.0);
                Node::Or(v)
            }
            n => Node::Or(vec![n, other.0]),
        })
    }

    /// All of `conds` (fails to render when empty).
    pub fn all(conds: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Node::And(conds.into_iter().map(|c| c.0).collect()))
    }

    /// Any of `conds` (fails to render when empty).
    pub fn any(conds: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Node::Or(conds.into_iter().map(|c| c.0).collect()))
    }

    /// A `customFieldConditions` clause: `caption = "..." and value = v`.
    pub fn custom_field(caption: impl Into<String>, value: impl Into<Value>) -> Condition {
        field("caption")
            .eq(caption.into())
            .and(field("value").eq(value))
    }

    /// The condition text Manage reads.
    pub fn render(&self) -> Result<String, ConditionError> {
        let mut out = String::new();
        render_node(&self.0, &mut out)?;
        Ok(out)
    }
}

fn render_node(node: &Node, out: &mut String) -> Result<(), ConditionError> {
    match node {
        Node::Cmp { field, op, value } => {
            push_field(field, out)?;
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            push_value(value, op.is_pattern(), out)
        }
        Node::In {
            field,
            values,
            negated,
        } => {
            if values.is_empty() {
                return Err(ConditionError::EmptyList);
            }
            push_field(field, out)?;
            out.push_str(if *negated { " not in (" } else { " in (" });
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_value(v, false, out)?;
            }
            out.push(')');
            Ok(())
        }
        Node::And(children) => render_group(children, " and ", out),
        Node::Or(children) => render_group(children, " or ", out),
    }
}

fn render_group(children: &[Node], joiner: &str, out: &mut String) -> Result<(), ConditionError> {
    if children.is_empty() {
        return Err(ConditionError::EmptyGroup);
    }
    for (i, child) in children.iter().enumerate() {
        if i > 0 {
            out.push_str(joiner);
        }
        let grouped = matches!(child, Node::And(_) | Node::Or(_));
        if grouped {
            out.push('(');
        }
        render_node(child, out)?;
        if grouped {
            out.push(')');
        }
    }
    Ok(())
}

const KEYWORDS: [&str; 9] = [
    "and", "or", "not", "in", "like", "contains", "null", "true", "false",
];

/// True for `name(/name)*` where a name is `[A-Za-z_][A-Za-z0-9_]*` and not a keyword of the grammar.
pub fn is_valid_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !KEYWORDS.iter().any(|k| seg.eq_ignore_ascii_case(k))
        })
}

fn push_field(field: &Field, out: &mut String) -> Result<(), ConditionError> {
    if !is_valid_path(&field.0) {
        return Err(ConditionError::InvalidField(field.0.clone()));
    }
    out.push_str(&field.0);
    Ok(())
}

fn push_value(value: &Value, pattern: bool, out: &mut String) -> Result<(), ConditionError> {
    match value {
        Value::String(s) => push_string(s, pattern, out),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(ConditionError::NonFiniteNumber);
            }
            // Display of f64 never uses exponent notation, which Manage would not read as a number.
            let _ = write!(out, "{f}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::DateTime(d) => {
            let _ = write!(out, "[{}]", d.format("%Y-%m-%dT%H:%M:%SZ"));
        }
        Value::Null => out.push_str("null"),
    }
    Ok(())
}

fn push_string(s: &str, pattern: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            // Manage evaluates contains/like with SQL Server LIKE, where `[` opens a character class;
            // the vendor's documented escape for a literal bracket is `[[]`.
            '[' if pattern => out.push_str("[[]"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Sort direction for `orderBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Ascending.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

/// The query part of a list request: filters, order, fields and page size (default 1000).
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    conditions: Option<Condition>,
    child_conditions: Option<Condition>,
    custom_field_conditions: Option<Condition>,
    order_by: Vec<(String, Order)>,
    fields: Vec<String>,
    page_size: u32,
}

impl Default for Query {
    fn default() -> Self {
        Self {
            conditions: None,
            child_conditions: None,
            custom_field_conditions: None,
            order_by: Vec::new(),
            fields: Vec::new(),
            page_size: MAX_PAGE_SIZE,
        }
    }
}

fn and_opt(a: Option<Condition>, b: Condition) -> Option<Condition> {
    Some(match a {
        Some(a) => a.and(b),
        None => b,
    })
}

impl Query {
    /// Everything, 1000 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `cond` to `conditions` (and-combined with what is there).
    pub fn filter(mut self, cond: Condition) -> Self {
        self.conditions = and_opt(self.conditions.take(), cond);
        self
    }

    /// Adds `cond` to `childConditions` (conditions on child arrays, e.g. `communicationItems/value`).
    pub fn child_filter(mut self, cond: Condition) -> Self {
        self.child_conditions = and_opt(self.child_conditions.take(), cond);
        self
    }

    /// Adds `cond` to `customFieldConditions` (see [`Condition::custom_field`]).
    pub fn custom_field_filter(mut self, cond: Condition) -> Self {
        self.custom_field_conditions = and_opt(self.custom_field_conditions.take(), cond);
        self
    }

    /// Records changed at or after `since` (`lastUpdated >= [since]`): incremental sync.
    pub fn changed_since(self, since: DateTime<Utc>) -> Self {
        self.filter(field("lastUpdated").ge(since))
    }

    /// Adds a sort key. An ordered query pages by page number (forward-only paging forbids `orderBy`).
    pub fn order_by(mut self, path: impl Into<String>, order: Order) -> Self {
        self.order_by.push((path.into(), order));
        self
    }

    /// Only these fields in the answer (`fields=id,name,status/id`).
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Page size, clamped to 1..=1000.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// The page size that will be sent.
    pub fn get_page_size(&self) -> u32 {
        self.page_size
    }

    /// True when an order was asked for.
    pub fn is_ordered(&self) -> bool {
        !self.order_by.is_empty()
    }

    /// The selected fields.
    pub fn selected_fields(&self) -> &[String] {
        &self.fields
    }

    fn rendered(&self) -> Result<Rendered, ConditionError> {
        let cond = |c: &Option<Condition>| c.as_ref().map(Condition::render).transpose();
        let mut order = String::new();
        for (i, (path, dir)) in self.order_by.iter().enumerate() {
            if !is_valid_path(path) {
                return Err(ConditionError::InvalidField(path.clone()));
            }
            if i > 0 {
                order.push(',');
            }
            order.push_str(path);
            order.push_str(match dir {
                Order::Asc => " asc",
                Order::Desc => " desc",
            });
        }
        if let Some(bad) = self.fields.iter().find(|f| !is_valid_path(f)) {
            return Err(ConditionError::InvalidField(bad.clone()));
        }
        Ok(Rendered {
            conditions: cond(&self.conditions)?,
            child: cond(&self.child_conditions)?,
            custom: cond(&self.custom_field_conditions)?,
            order_by: (!order.is_empty()).then_some(order),
            fields: (!self.fields.is_empty()).then(|| self.fields.join(",")),
        })
    }

    /// Query parameters (not yet URL-encoded) for a GET, without paging parameters except `pageSize`.
    pub fn params(&self) -> Result<Vec<(&'static str, String)>, ConditionError> {
        let r = self.rendered()?;
        let mut out = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        push("conditions", r.conditions);
        push("childConditions", r.child);
        push("customFieldConditions", r.custom);
        push("orderBy", r.order_by);
        push("fields", r.fields);
        out.push(("pageSize", self.page_size.to_string()));
        Ok(out)
    }

    /// Parameters that stay in the URL when the filters move into a `POST .../search` body.
    pub fn search_url_params(&self) -> Result<Vec<(&'static str, String)>, ConditionError> {
        let r = self.rendered()?;
        let mut out = Vec::new();
        if let Some(f) = r.fields {
            out.push(("fields", f));
        }
        out.push(("pageSize", self.page_size.to_string()));
        Ok(out)
    }

    /// The `FilterValues` body of `POST .../search` (note the vendor's lower-case child keys).
    pub fn search_body(&self) -> Result<serde_json::Value, ConditionError> {
        let r = self.rendered()?;
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), serde_json::Value::String(v));
            }
        };
        put("conditions", r.conditions);
        put("childconditions", r.child);
        put("customfieldconditions", r.custom);
        put("orderBy", r.order_by);
        Ok(serde_json::Value::Object(m))
    }
}

struct Rendered {
    conditions: Option<String>,
    child: Option<String>,
    custom: Option<String>,
    order_by: Option<String>,
    fields: Option<String>,
}

#[cfg(test)]
mod tests;
