//! Companies, their statuses, types and sites, and the lookups a company filter is built from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{
    CompanyId, CompanyStatusId, CompanyTypeId, ContactId, LocationId, MarketId, MemberId, SiteId,
};
use psa_rmm_core::wire;

/// A company (`/company/companies`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// Id (`0` on a record not yet created).
    pub id: CompanyId,
    /// Short code, unique (≤ 30).
    pub identifier: Option<String>,
    /// Name (≤ 50).
    pub name: Option<String>,
    /// Status (Active, Inactive, ...).
    pub status: Option<Reference<CompanyStatusId>>,
    /// Types (Client, Prospect, ...); settable only on create.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub types: Vec<Reference<CompanyTypeId>>,
    /// Address line 1.
    pub address_line1: Option<String>,
    /// Address line 2.
    pub address_line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<Reference>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Fax.
    pub fax_number: Option<String>,
    /// Web site (a domain is strong company-matching evidence).
    pub website: Option<String>,
    /// Territory (a system location).
    pub territory: Option<Reference<LocationId>>,
    /// Market.
    pub market: Option<Reference<MarketId>>,
    /// Account number.
    pub account_number: Option<String>,
    /// Default contact.
    pub default_contact: Option<Reference<ContactId>>,
    /// Acquired date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub date_acquired: Option<DateTime<Utc>>,
    /// Parent company.
    pub parent_company: Option<Reference<CompanyId>>,
    /// Bill-to company.
    pub bill_to_company: Option<Reference<CompanyId>>,
    /// Annual revenue.
    pub annual_revenue: Option<f64>,
    /// Employees.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub number_of_employees: Option<i64>,
    /// Lead flag.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub lead_flag: Option<bool>,
    /// Vendor flag.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub is_vendor_flag: Option<bool>,
    /// Deleted (soft delete): the only deletion trace polling can see.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub deleted_flag: Option<bool>,
    /// When it was deleted.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub date_deleted: Option<DateTime<Utc>>,
    /// Who deleted it.
    pub deleted_by: Option<String>,
    /// Territory manager.
    pub territory_manager: Option<Reference<MemberId>>,
    /// Primary site.
    pub site: Option<Reference<SiteId>>,
    /// Mobile GUID.
    pub mobile_guid: Option<String>,
    /// Integrator tags.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub integrator_tags: Vec<String>,
    /// Metadata (`lastUpdated`, `dateEntered`, hrefs).
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Custom fields.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub custom_fields: Vec<CustomField>,
    /// Keys this version does not model (`userDefinedField1..10`, billing setup, ...).
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A company status (`/company/companies/statuses`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyStatus {
    /// Id.
    pub id: CompanyStatusId,
    /// Name.
    pub name: Option<String>,
    /// Default status.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Inactive status: companies in it are not active customers.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Saving is refused in this status.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub disallow_saving_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A company type (`/company/companies/types`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyType {
    /// Id.
    pub id: CompanyTypeId,
    /// Name (Client, Prospect, Vendor, ...).
    pub name: Option<String>,
    /// Default type.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Vendor type.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub vendor_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A company site (`/company/companies/{id}/sites`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanySite {
    /// Id.
    pub id: SiteId,
    /// Name (≤ 50).
    pub name: Option<String>,
    /// Address line 1.
    pub address_line1: Option<String>,
    /// Address line 2.
    pub address_line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state_reference: Option<Reference>,
    /// Postal code.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<Reference>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Primary address.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub primary_address_flag: Option<bool>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Owning company.
    pub company: Option<Reference<CompanyId>>,
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

/// A system location (`/system/locations`): what a company's territory points at.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Territory {
    /// Id.
    pub id: LocationId,
    /// Name.
    pub name: Option<String>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A market (`/company/marketDescriptions`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Market {
    /// Id.
    pub id: MarketId,
    /// Name.
    pub name: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}
