//! JSON Patch bodies for Manage's PATCH endpoints.
//!
//! Manage reads a bare array of `{op, path, value}`. Paths are top-level, case-sensitive field names:
//! a reference is changed by replacing the whole object (`company` → `{"id": 5}`), because patching
//! inside it (`company/id`) can answer 200 without applying. Custom fields go in one `customFields`
//! replace.
//!
//! ```
//! use cw_manage_client::patch::Patch;
//! use cw_manage_client::model::Reference;
//! use cw_manage_client::CompanyId;
//! let p = Patch::new()
//!     .replace("summary", "New Summary")
//!     .replace_ref("company", &Reference::<CompanyId>::by_identifier("New Company"));
//! assert_eq!(
//!     serde_json::to_string(&p).unwrap(),
//!     r#"[{"op":"replace","path":"summary","value":"New Summary"},{"op":"replace","path":"company","value":{"identifier":"New Company"}}]"#
//! );
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::conditions::is_valid_path;
use crate::model::{CustomField, Reference};

/// Why a patch cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchError {
    /// A nested path (`company/id`): replace the whole reference object instead.
    #[error("patch path {0:?} points inside an object: replace the whole reference object instead")]
    NestedPath(String),
    /// Not a field name.
    #[error("patch path {0:?} is not a field name")]
    InvalidPath(String),
    /// No operation.
    #[error("the patch has no operations")]
    Empty,
}

/// A patch operation kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// Add.
    Add,
    /// Replace.
    Replace,
    /// Remove.
    Remove,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Kind.
    pub op: OpKind,
    /// Top-level field name.
    pub path: String,
    /// New value (absent for `remove`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// A PATCH body under construction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patch {
    ops: Vec<Operation>,
}

/// Manage's date-time format (UTC, whole seconds, `Z`).
pub(crate) fn format_datetime(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Patch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(mut self, op: OpKind, path: impl Into<String>, value: Option<Value>) -> Self {
        self.ops.push(Operation {
            op,
            path: path.into(),
            value,
        });
        self
    }

    /// `replace path value`.
    pub fn replace(self, path: impl Into<String>, value: impl Into<Value>) -> Self {
        self.push(OpKind::Replace, path, Some(value.into()))
    }

    /// `add path value`.
    pub fn add(self, path: impl Into<String>, value: impl Into<Value>) -> Self {
        self.push(OpKind::Add, path, Some(value.into()))
    }

    /// `remove path`.
    pub fn remove(self, path: impl Into<String>) -> Self {
        self.push(OpKind::Remove, path, None)
    }

    /// Replaces a date-time field, written as Manage writes it (`2024-01-02T03:04:05Z`).
    pub fn replace_datetime(self, path: impl Into<String>, value: DateTime<Utc>) -> Self {
        self.replace(path, format_datetime(value))
    }

    /// Replaces a whole reference object with only its identifying key: `id` when set, else
    /// `identifier`, else `name`.
    pub fn replace_ref<I: Serialize + Clone>(
        self,
        path: impl Into<String>,
        r: &Reference<I>,
    ) -> Self {
        let mut obj = serde_json::Map::new();
        if let Some(id) = &r.id {
            if let Ok(v) = serde_json::to_value(id) {
                obj.insert("id".into(), v);
            }
        } else if let Some(identifier) = &r.identifier {
            obj.insert("identifier".into(), Value::String(identifier.clone()));
        } else if let Some(name) = &r.name {
            obj.insert("name".into(), Value::String(name.clone()));
        }
        self.replace(path, Value::Object(obj))
    }

    /// One `customFields` replace carrying `fields` (id, caption, type, entry method, decimals, value;
    /// a `None` value is sent as `null`, which clears it).
    pub fn custom_fields(self, fields: &[CustomField]) -> Self {
        let arr = fields
            .iter()
            .map(|f| {
                let mut o = serde_json::Map::new();
                if let Some(id) = f.id {
                    o.insert("id".into(), id.into());
                }
                if let Some(c) = &f.caption {
                    o.insert("caption".into(), c.clone().into());
                }
                if let Some(t) = &f.field_type {
                    o.insert("type".into(), t.as_str().into());
                }
                if let Some(e) = &f.entry_method {
                    o.insert("entryMethod".into(), e.as_str().into());
                }
                if let Some(n) = f.number_of_decimals {
                    o.insert("numberOfDecimals".into(), n.into());
                }
                o.insert("value".into(), f.value.clone().unwrap_or(Value::Null));
                Value::Object(o)
            })
            .collect();
        self.replace("customFields", Value::Array(arr))
    }

    /// True when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The operations.
    pub fn ops(&self) -> &[Operation] {
        &self.ops
    }

    /// The value a `replace`/`add` sets on `path`, if any.
    pub fn value_of(&self, path: &str) -> Option<&Value> {
        self.ops
            .iter()
            .rev()
            .find(|o| o.path == path && o.op != OpKind::Remove)
            .and_then(|o| o.value.as_ref())
    }

    /// Checks every path is one top-level field name and the patch is not empty.
    pub fn validate(&self) -> Result<(), PatchError> {
        if self.ops.is_empty() {
            return Err(PatchError::Empty);
        }
        for op in &self.ops {
            let p = op.path.strip_prefix('/').unwrap_or(&op.path);
            if p.contains('/') {
                return Err(PatchError::NestedPath(op.path.clone()));
            }
            if !is_valid_path(p) {
                return Err(PatchError::InvalidPath(op.path.clone()));
            }
        }
        Ok(())
    }
}

impl Serialize for Patch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.ops.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CustomFieldType;
    use crate::{CompanyId, StatusId};
    use serde_json::json;

    #[test]
    fn matches_the_vendor_example() {
        let fixture: Value =
            serde_json::from_str(include_str!("../tests/fixtures/doc_patch_example.json")).unwrap();
        let p = Patch::new()
            .replace("summary", "New Summary")
            .replace_ref(
                "company",
                &Reference::<CompanyId>::by_identifier("New Company"),
            )
            .custom_fields(&[
                CustomField {
                    caption: Some("CloudPlus".into()),
                    field_type: Some(CustomFieldType::Checkbox),
                    entry_method: Some(crate::model::EntryMethod::EntryField),
                    number_of_decimals: Some(0),
                    ..CustomField::new(5, false)
                },
                CustomField {
                    caption: Some("test".into()),
                    field_type: Some(CustomFieldType::Text),
                    entry_method: Some(crate::model::EntryMethod::List),
                    number_of_decimals: Some(0),
                    ..CustomField::new(28, "test")
                },
            ]);
        assert_eq!(serde_json::to_value(&p).unwrap(), fixture);
        assert!(p.validate().is_ok());
    }

    #[test]
    fn a_reference_is_replaced_whole_by_its_id() {
        let mut r: Reference<StatusId> = serde_json::from_value(
            json!({"id": 7, "name": "Closed", "_info": {"status_href": "x"}}),
        )
        .unwrap();
        let p = Patch::new().replace_ref("status", &r);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!([{"op":"replace","path":"status","value":{"id":7}}])
        );
        r.id = None;
        let p = Patch::new().replace_ref("status", &r);
        assert_eq!(p.value_of("status"), Some(&json!({"name":"Closed"})));
    }

    #[test]
    fn nested_and_bad_paths_are_refused() {
        assert_eq!(
            Patch::new().replace("company/id", 5).validate(),
            Err(PatchError::NestedPath("company/id".into()))
        );
        assert!(matches!(
            Patch::new().replace("a b", 1).validate(),
            Err(PatchError::InvalidPath(_))
        ));
        assert_eq!(Patch::new().validate(), Err(PatchError::Empty));
        assert!(Patch::new().remove("/notes").validate().is_ok());
    }

    #[test]
    fn custom_field_null_value_is_sent_to_clear() {
        let p = Patch::new().custom_fields(&[CustomField {
            value: None,
            ..CustomField::new(3, 0)
        }]);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!([{"op":"replace","path":"customFields","value":[{"id":3,"value":null}]}])
        );
    }
}
