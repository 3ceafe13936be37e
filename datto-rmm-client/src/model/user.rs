//! `GET /v2/account/users`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::page::page_type;

/// An account user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone.
    #[serde(default)]
    pub telephone: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Created (epoch ms on the wire).
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub created: Option<DateTime<Utc>>,
    /// Last access (epoch ms on the wire).
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub last_access: Option<DateTime<Utc>>,
    /// Disabled.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub disabled: Option<bool>,
}

page_type!(
    /// User list pages.
    UsersPage,
    users,
    User
);
