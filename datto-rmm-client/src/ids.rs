//! Identifier newtypes. Datto UIDs are strings (not always GUIDs: the "Deleted Devices" site has a non-GUID
//! uid), numeric ids are `i64`.

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! uid_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps a UID.
            pub fn new(uid: impl Into<String>) -> Self {
                Self(uid.into())
            }

            /// The UID as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // A number where a UID is expected still identifies the record; keep it as its decimal string.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                psa_rmm_core::wire::string_required(d).map(Self)
            }
        }
    };
}

uid_type!(
    /// Unique id of a device (`uid`, `deviceUid`).
    DeviceUid
);
uid_type!(
    /// Unique id of a site (`uid`, `siteUid`).
    SiteUid
);
uid_type!(
    /// Unique id of an alert (`alertUid`).
    AlertUid
);
uid_type!(
    /// Unique id of the account (`uid`, `accountUid`).
    AccountUid
);
uid_type!(
    /// Unique id of a job (`uid`, `jobUid`).
    JobUid
);
uid_type!(
    /// Unique id of a component (`uid`, `componentUid`).
    ComponentUid
);

// Spec says int64; a numeric string is accepted too so one odd record never fails a page.
psa_rmm_core::int_id! {
    /// Numeric id of a device (`id`, used by `/device/id/{id}`).
    DeviceId,
    /// Numeric id of a site (`id`, `siteId`).
    SiteId,
    /// Numeric id of an account or site variable.
    VariableId,
    /// Numeric id of a device filter (`filterId`).
    FilterId,
}
