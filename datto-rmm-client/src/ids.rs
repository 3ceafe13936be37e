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
                match serde_json::Value::deserialize(d)? {
                    serde_json::Value::String(s) => Ok(Self(s)),
                    serde_json::Value::Number(n) => Ok(Self(n.to_string())),
                    other => Err(serde::de::Error::custom(format!(
                        "expected a uid string, found {other}"
                    ))),
                }
            }
        }
    };
}

macro_rules! int_id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                Self(v)
            }
        }

        // Spec says int64; a numeric string is accepted too so one odd record never fails a page.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match serde_json::Value::deserialize(d)? {
                    serde_json::Value::Number(n) => n
                        .as_i64()
                        .map(Self)
                        .ok_or_else(|| serde::de::Error::custom("id out of range")),
                    serde_json::Value::String(s) => s
                        .trim()
                        .parse()
                        .map(Self)
                        .map_err(|_| serde::de::Error::custom("id is not a number")),
                    other => Err(serde::de::Error::custom(format!(
                        "expected a numeric id, found {other}"
                    ))),
                }
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
int_id_type!(
    /// Numeric id of a device (`id`, used by `/device/id/{id}`).
    DeviceId
);
int_id_type!(
    /// Numeric id of a site (`id`, `siteId`).
    SiteId
);
int_id_type!(
    /// Numeric id of an account or site variable.
    VariableId
);
int_id_type!(
    /// Numeric id of a device filter (`filterId`).
    FilterId
);
