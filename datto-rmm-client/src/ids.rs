//! Identifier newtypes. Datto UIDs are strings (not always GUIDs: the "Deleted Devices" site has a non-GUID
//! uid), numeric ids are `i64`.

use serde::Serialize;

macro_rules! uid_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        psa_rmm_core::string_id_impls!($name);
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
