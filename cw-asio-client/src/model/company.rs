//! Companies and sites (`/api/platform/v1/company/...`).

use super::ids::{CompanyId, SiteId};
use chrono::{DateTime, Utc};
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};

/// A company (customer of the partner). `GET /api/platform/v1/company/companies[/{id}]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Company {
    /// Company id.
    #[serde(alias = "companyId", alias = "companyID", alias = "ID")]
    pub id: Option<CompanyId>,
    /// Legal or display name.
    pub name: Option<String>,
    /// Short display name.
    pub friendly_name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Industry code.
    pub industry_code: Option<String>,
    /// The owning partner (MSP); the only place the partner id appears.
    #[serde(alias = "partnerID")]
    pub partner_id: Option<String>,
    /// Account reference.
    pub account: Option<NamedRef>,
    /// Activity status (active/inactive).
    pub activity_status: Option<ActivityStatus>,
    /// Ownership type.
    pub ownership_type: Option<ActivityStatus>,
    /// Corporate container.
    pub corp_container: Option<CorpContainer>,
    /// Links to other products (PSA ids and the like).
    #[serde(deserialize_with = "wire::seq")]
    pub external_ids: Vec<ExternalId>,
    /// Primary contact.
    pub primary_contact: Option<Contact>,
    /// Primary site.
    pub primary_site: Option<Site>,
    /// Acquired.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub acquired_date: Option<DateTime<Utc>>,
    /// Set when the company became inactive.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub inactive_date: Option<DateTime<Utc>>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_date: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_date: Option<DateTime<Utc>>,
    /// Set when the company was deleted.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub deleted_date: Option<DateTime<Utc>>,
    /// Creator.
    pub created_by: Option<String>,
    /// Last updater.
    pub updated_by: Option<String>,
    /// Deleter.
    pub deleted_by: Option<String>,
}

/// A site of a company. `GET /api/platform/v1/company/companies/{companyId}/sites` and `/company/sites`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Site {
    /// Site id.
    #[serde(alias = "siteId", alias = "siteID", alias = "ID")]
    pub id: Option<SiteId>,
    /// Name.
    pub name: Option<String>,
    /// Short display name.
    pub friendly_name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Active flag.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub active_flag: Option<bool>,
    /// The company's primary site.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub primary_flag: Option<bool>,
    /// The address is a physical one.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub physical_address_flag: Option<bool>,
    /// IANA or Windows time zone name.
    pub time_zone: Option<String>,
    /// Site type.
    #[serde(rename = "type")]
    pub site_type: Option<ActivityStatus>,
    /// Industry code.
    pub industry_code: Option<String>,
    /// Owning partner.
    #[serde(alias = "partnerID")]
    pub partner_id: Option<String>,
    /// Owning company (present on the partner-wide site list).
    pub company: Option<CompanyRef>,
    /// Primary address.
    pub primary_address: Option<Address>,
    /// Primary contact.
    pub primary_contact: Option<Contact>,
    /// Primary e-mail.
    pub primary_email: Option<Email>,
    /// Primary phone.
    pub primary_phone_number: Option<Phone>,
    /// Links to other products.
    #[serde(deserialize_with = "wire::seq")]
    pub external_ids: Vec<ExternalId>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_date: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_date: Option<DateTime<Utc>>,
    /// Set when the site was deleted.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub deleted_date: Option<DateTime<Utc>>,
    /// Set when the site became inactive.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub inactive_date: Option<DateTime<Utc>>,
}

/// `{id, name}` reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NamedRef {
    /// Id.
    #[serde(deserialize_with = "wire::opt_string")]
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// Status-like lookup: `{id, name, activeFlag, defaultFlag}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ActivityStatus {
    /// Id.
    #[serde(deserialize_with = "wire::opt_string")]
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Active.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub active_flag: Option<bool>,
    /// Default entry.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
}

/// Corporate container of a company.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CorpContainer {
    /// Id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Partner id.
    pub partner_id: Option<String>,
    /// Parent container.
    pub reports_to_container_id: Option<String>,
}

/// A company reference embedded in a site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompanyRef {
    /// Company id.
    #[serde(alias = "companyId", alias = "companyID")]
    pub id: Option<CompanyId>,
    /// Name.
    pub name: Option<String>,
    /// Short name.
    pub friendly_name: Option<String>,
    /// Links to other products.
    #[serde(deserialize_with = "wire::seq")]
    pub external_ids: Vec<ExternalId>,
}

/// A link from a company or site to a record in another product (e.g. the PSA).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExternalId {
    /// Link id.
    pub id: Option<String>,
    /// Company the link belongs to.
    #[serde(alias = "companyID")]
    pub company_id: Option<String>,
    /// Site the link belongs to.
    #[serde(alias = "siteID")]
    pub site_id: Option<String>,
    /// Id in the other product.
    #[serde(alias = "externalID", deserialize_with = "wire::opt_string")]
    pub external_id: Option<String>,
    /// Other product.
    #[serde(alias = "productID")]
    pub product_id: Option<String>,
    /// Instance of the other product.
    #[serde(alias = "productInstanceID")]
    pub product_instance_id: Option<String>,
    /// Synced back.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub backsynced: Option<bool>,
}

/// A postal address. Asio uses `locality`/`administrativeArea`/`postCode`, never city/state/zip.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Address {
    /// Id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Line 1.
    pub address_line1: Option<String>,
    /// Line 2.
    pub address_line2: Option<String>,
    /// Line 3.
    pub address_line3: Option<String>,
    /// Line 4.
    pub address_line4: Option<String>,
    /// City.
    pub locality: Option<String>,
    /// District.
    pub dependent_locality: Option<String>,
    /// State or province.
    pub administrative_area: Option<String>,
    /// Postal code.
    pub post_code: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// Country code.
    pub country_code: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
}

/// An e-mail address entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Email {
    /// Id.
    pub id: Option<String>,
    /// Address.
    pub email_address: Option<String>,
}

/// A phone number entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Phone {
    /// Id.
    pub id: Option<String>,
    /// Country code.
    #[serde(deserialize_with = "wire::opt_string")]
    pub country_code: Option<String>,
    /// National number.
    #[serde(deserialize_with = "wire::opt_string")]
    pub national_number: Option<String>,
    /// Extension.
    #[serde(deserialize_with = "wire::opt_string")]
    pub extension: Option<String>,
}

/// A contact person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contact {
    /// Id.
    pub id: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Address.
    pub primary_address: Option<Address>,
    /// E-mail.
    pub primary_email: Option<Email>,
    /// Phone.
    pub primary_phone_number: Option<Phone>,
}
