//! Account and site variables.

use serde::{Deserialize, Serialize};

use crate::ids::VariableId;
use crate::model::page::page_type;

/// A variable. Masked values are not secrets the client can rely on seeing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// Numeric id.
    #[serde(default)]
    pub id: Option<VariableId>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Value.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub value: Option<String>,
    /// Masked in the UI.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub masked: Option<bool>,
}

page_type!(
    /// Variable list pages.
    VariablesPage,
    variables,
    Variable
);

/// `PUT .../variable` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewVariable {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Masked in the UI.
    pub masked: bool,
}

/// `POST .../variable/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariableUpdate {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}
