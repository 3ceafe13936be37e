//! Service boards with their statuses, types, subtypes and items; priorities and sources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{Info, Reference};
use crate::ids::{BoardId, ItemId, PriorityId, ServiceTypeId, SourceId, StatusId, SubTypeId};
use psa_rmm_core::wire;

/// A service board (`/service/boards`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    /// Id.
    pub id: BoardId,
    /// Name.
    pub name: Option<String>,
    /// Location.
    pub location: Option<Reference>,
    /// Department.
    pub department: Option<Reference>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Project board.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub project_flag: Option<bool>,
    /// Status set when tickets auto-close.
    pub auto_close_status: Option<Reference<StatusId>>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A status of a board (`/service/boards/{id}/statuses`). Note `inactive`, not `inactiveFlag`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardStatus {
    /// Id.
    pub id: StatusId,
    /// Name.
    pub name: Option<String>,
    /// Board.
    pub board: Option<Reference<BoardId>>,
    /// Order on the board.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub sort_order: Option<i64>,
    /// Shown on the board.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub display_on_board: Option<bool>,
    /// Inactive.
    #[serde(default, alias = "inactiveFlag", deserialize_with = "wire::opt_bool")]
    pub inactive: Option<bool>,
    /// A closed status: moving a ticket here closes it.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub closed_status: Option<bool>,
    /// Default status of the board.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Escalation status.
    pub escalation_status: Option<String>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A ticket type of a board (`/service/boards/{id}/types`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardType {
    /// Id.
    pub id: ServiceTypeId,
    /// Name.
    pub name: Option<String>,
    /// Reactive or Proactive.
    pub category: Option<String>,
    /// Default type.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Board (some servers embed the whole board).
    pub board: Option<Reference<BoardId>>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A subtype of a board (`/service/boards/{id}/subtypes`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardSubType {
    /// Id.
    pub id: SubTypeId,
    /// Name.
    pub name: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Types the subtype applies to.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub type_association_ids: Vec<i64>,
    /// Board.
    pub board: Option<Reference<BoardId>>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// An item of a board (`/service/boards/{id}/items`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardItem {
    /// Id.
    pub id: ItemId,
    /// Name.
    pub name: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Board.
    pub board: Option<Reference<BoardId>>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A ticket priority (`/service/priorities`). Some servers send only `id` and `name`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Priority {
    /// Id.
    pub id: PriorityId,
    /// Name.
    pub name: Option<String>,
    /// Colour name.
    pub color: Option<String>,
    /// Order.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub sort_order: Option<i64>,
    /// Default priority.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Critical, High, Medium or Low.
    pub level: Option<String>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A ticket source (`/service/sources`): Phone, Email, Portal, ...
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Id.
    pub id: SourceId,
    /// Name.
    pub name: Option<String>,
    /// Default source.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}
