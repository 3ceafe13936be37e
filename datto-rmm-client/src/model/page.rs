//! The `{pageDetails, <items>}` envelope every Datto list endpoint returns.

use serde::{Deserialize, Serialize};

/// `pageDetails` of a list response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDetails {
    /// Items on this page.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub count: Option<i64>,
    /// Items over all pages.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub total_count: Option<i64>,
    /// Absolute URL of the previous page.
    #[serde(default)]
    pub prev_page_url: Option<String>,
    /// Absolute URL of the next page; `null`, empty or missing at the end of the list.
    #[serde(default)]
    pub next_page_url: Option<String>,
}

impl PageDetails {
    /// True when the server says another page follows. Only a signal: the client builds the next URL itself,
    /// because `nextPageUrl` has been seen to drop query filters.
    pub fn has_next(&self) -> bool {
        self.next_page_url
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty())
    }
}

/// A decoded list page: its details and its items.
pub trait DattoPage {
    /// The item type.
    type Item;
    /// The `pageDetails`, if the server sent them.
    fn details(&self) -> Option<&PageDetails>;
    /// Consumes the page, returning its items.
    fn into_items(self) -> Vec<Self::Item>;
    /// True when another page follows (a missing `pageDetails` means the end).
    fn has_next(&self) -> bool {
        self.details().is_some_and(PageDetails::has_next)
    }
}

/// Declares a page struct `{pageDetails, $field: [$item]}` and its [`DattoPage`] impl.
macro_rules! page_type {
    ($(#[$meta:meta])* $name:ident, $field:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// Paging details.
            #[serde(default)]
            pub page_details: Option<$crate::model::PageDetails>,
            /// The items of this page.
            #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
            pub $field: Vec<$item>,
        }

        impl $crate::model::DattoPage for $name {
            type Item = $item;
            fn details(&self) -> Option<&$crate::model::PageDetails> {
                self.page_details.as_ref()
            }
            fn into_items(self) -> Vec<$item> {
                self.$field
            }
        }
    };
}
pub(crate) use page_type;
