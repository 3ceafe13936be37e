//! Custom fields: definitions (`/api/platform/v1/custom-field/definitions`) and values per company, site and
//! endpoint. Values are always strings on the wire, even for integer and boolean fields.

use super::ids::AttributeId;
use chrono::{DateTime, Utc};
use psa_rmm_core::string_enum;
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};

string_enum! {
    /// The kind of entity a custom field belongs to.
    pub enum EntityType {
        /// Endpoint.
        Device = "device",
        /// Company.
        Company = "company",
        /// Company, older name.
        Client = "client",
        /// Site.
        Site = "site",
    }
}

string_enum! {
    /// Value type of a custom field.
    pub enum AttributeType {
        /// `true`/`false` (sent as a string).
        Boolean = "boolean",
        /// Free text.
        String = "string",
        /// One of `validationOptions.enum`.
        Enum = "enum",
        /// Date-time.
        Datetime = "datetime",
        /// Integer (sent as a string).
        Integer = "integer",
    }
}

/// A custom-field definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomFieldDefinition {
    /// Definition id (the `attributeId` of its values).
    #[serde(alias = "ID", alias = "definitionId", alias = "definitionID")]
    pub id: Option<AttributeId>,
    /// Entity type.
    pub entity_type: Option<EntityType>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Value type.
    pub attribute_type: Option<AttributeType>,
    /// Allowed values and pattern.
    pub validation_options: Option<ValidationOptions>,
    /// Default value.
    #[serde(deserialize_with = "wire::opt_string")]
    pub default_value: Option<String>,
    /// Editable by the partner.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub is_editable: Option<bool>,
    /// Integrator that owns it.
    pub integrator_id: Option<String>,
    /// Origin type.
    #[serde(rename = "type")]
    pub origin_type: Option<String>,
    /// Required.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub required: Option<bool>,
    /// Options.
    #[serde(deserialize_with = "wire::seq")]
    pub options: Vec<String>,
    /// Length and pattern limits.
    pub validation: Option<Validation>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `validationOptions` of a definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ValidationOptions {
    /// Pattern.
    pub regex: Option<String>,
    /// Allowed values.
    #[serde(rename = "enum", deserialize_with = "wire::seq")]
    pub allowed: Vec<String>,
}

/// `validation` of a definition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Validation {
    /// Minimum length.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub min_length: Option<i64>,
    /// Maximum length.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub max_length: Option<i64>,
    /// Pattern.
    pub pattern: Option<String>,
}

/// One custom-field value as read back.
///
/// The schema carries both `attributeId` (uuid) and `attributeID` (string); each spelling has its own field
/// and [`CustomFieldValue::attribute_id`] picks whichever is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomFieldValue {
    /// `attributeId`.
    #[serde(rename = "attributeId", alias = "AttributeId")]
    pub attribute_id_lower: Option<AttributeId>,
    /// `attributeID`.
    #[serde(rename = "attributeID", alias = "AttributeID")]
    pub attribute_id_upper: Option<AttributeId>,
    /// Field name.
    pub name: Option<String>,
    /// Value (always a string; `null` when unset).
    #[serde(deserialize_with = "wire::opt_string")]
    pub value: Option<String>,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: Option<AttributeType>,
    /// Last update.
    #[serde(rename = "updatedAt", deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Last updater.
    #[serde(rename = "updatedBy")]
    pub updated_by: Option<String>,
}

impl CustomFieldValue {
    /// The attribute (definition) id, whichever spelling carried it.
    pub fn attribute_id(&self) -> Option<&AttributeId> {
        self.attribute_id_lower
            .as_ref()
            .or(self.attribute_id_upper.as_ref())
    }
}

/// One element of a custom-field PUT body (`[{entityId, attributeId, value}]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldValueUpdate {
    /// The company, site or endpoint id (a UUID).
    #[serde(alias = "entityID")]
    pub entity_id: String,
    /// The definition id.
    #[serde(alias = "attributeID")]
    pub attribute_id: AttributeId,
    /// New value, as a string whatever the field type; `None` clears it.
    pub value: Option<String>,
}
