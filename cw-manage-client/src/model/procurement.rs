//! The procurement product catalog.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{CatalogItemId, CompanyId};
use psa_rmm_core::wire;

/// A catalog item (`/procurement/catalog`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    /// Id.
    pub id: CatalogItemId,
    /// Product identifier (SKU).
    pub identifier: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Customer-facing description.
    pub customer_description: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Category.
    pub category: Option<Reference>,
    /// Subcategory.
    pub subcategory: Option<Reference>,
    /// Type.
    #[serde(rename = "type")]
    pub item_type: Option<Reference>,
    /// Agreement, Bundle, Inventory, NonInventory or Service.
    pub product_class: Option<String>,
    /// Unit of measure.
    pub unit_of_measure: Option<Reference>,
    /// Price.
    pub price: Option<f64>,
    /// Cost.
    pub cost: Option<f64>,
    /// Taxable.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub taxable_flag: Option<bool>,
    /// Recurring product.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub recurring_flag: Option<bool>,
    /// Manufacturer.
    pub manufacturer: Option<Reference>,
    /// Manufacturer part number.
    pub manufacturer_part_number: Option<String>,
    /// Vendor.
    pub vendor: Option<Reference<CompanyId>>,
    /// Vendor SKU.
    pub vendor_sku: Option<String>,
    /// Notes.
    pub notes: Option<String>,
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
