//! Contacts and their communication items.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{CompanyId, ContactId, SiteId};
use psa_rmm_core::wire;

psa_rmm_core::string_enum! {
    /// Kind of a communication item.
    pub enum CommunicationType {
        /// E-mail address.
        Email = "Email",
        /// Fax number.
        Fax = "Fax",
        /// Phone number.
        Phone = "Phone",
    }
}

/// One phone number or e-mail address of a contact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunicationItem {
    /// Id.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub id: Option<i64>,
    /// Communication type reference (Email, Direct, Mobile, ...).
    #[serde(rename = "type")]
    pub item_type: Option<Reference>,
    /// The address or number.
    pub value: Option<String>,
    /// Extension.
    pub extension: Option<String>,
    /// Default of its kind.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// E-mail domain (`@example.com`).
    pub domain: Option<String>,
    /// Email, Fax or Phone.
    pub communication_type: Option<CommunicationType>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A contact (`/company/contacts`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Id.
    pub id: ContactId,
    /// First name.
    pub first_name: Option<String>,
    /// Last name (documented as required, often absent).
    pub last_name: Option<String>,
    /// Company.
    pub company: Option<Reference<CompanyId>>,
    /// Site.
    pub site: Option<Reference<SiteId>>,
    /// Title.
    pub title: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Default contact of its company.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Default phone type.
    pub default_phone_type: Option<String>,
    /// Default phone number.
    pub default_phone_nbr: Option<String>,
    /// Phones and e-mails.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub communication_items: Vec<CommunicationItem>,
    /// Contact types.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub types: Vec<Reference>,
    /// Mobile GUID.
    pub mobile_guid: Option<String>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Custom fields.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub custom_fields: Vec<CustomField>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl Contact {
    /// The default e-mail address, else the first one.
    pub fn email(&self) -> Option<&str> {
        let emails = || {
            self.communication_items
                .iter()
                .filter(|c| c.communication_type == Some(CommunicationType::Email))
        };
        emails()
            .find(|c| c.default_flag == Some(true))
            .or_else(|| emails().next())
            .and_then(|c| c.value.as_deref())
    }
}
