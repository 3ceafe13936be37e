//! Identifier newtypes.
//!
//! Asio IDs are opaque strings, usually UUIDs; migrated partners carry "synthetic GUIDs" that encode a legacy
//! Command ID. They are never parsed, and they compare case-insensitively because the same UUID is seen in
//! upper and lower case across endpoints.

use serde::{Serialize, Serializer};
use std::hash::{Hash, Hasher};

macro_rules! id_newtype {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The legacy Command ID a migrated partner's synthetic GUID encodes: the GUID's bytes are ASCII
            /// `"Command ID: "` followed by a 32-bit big-endian number. `None` for ordinary ids.
            pub fn legacy_command_id(&self) -> Option<u32> {
                legacy_command_id(&self.0)
            }

            /// Consumes the id, giving back the string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.eq_ignore_ascii_case(&other.0)
            }
        }

        impl Eq for $name {}

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                for b in self.0.bytes() {
                    state.write_u8(b.to_ascii_lowercase());
                }
                state.write_u8(0xff);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        // Some exports render numeric legacy ids as JSON numbers: they read as their text.
        psa_rmm_core::string_id_impls!($name);
    )+};
}

/// `"Command ID: "` as the first twelve bytes of a synthetic GUID.
const COMMAND_ID_PREFIX: &[u8; 12] = b"Command ID: ";

fn legacy_command_id(id: &str) -> Option<u32> {
    let hex: String = id.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok())
        .collect::<Option<_>>()?;
    let (prefix, number) = bytes.split_at(12);
    if !prefix.eq_ignore_ascii_case(COMMAND_ID_PREFIX) {
        return None;
    }
    Some(u32::from_be_bytes(number.try_into().ok()?))
}

id_newtype! {
    /// A company ("client" in older APIs).
    CompanyId,
    /// A site of a company.
    SiteId,
    /// An endpoint (device).
    EndpointId,
    /// A device group.
    DeviceGroupId,
    /// A custom-field definition (attribute).
    AttributeId,
    /// A service ticket.
    TicketId,
    /// A note on a ticket.
    NoteId,
    /// A row of a ticketing lookup table (board, status, priority, source, type, category, tag, user, team).
    LookupId,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_compare_case_insensitively() {
        let a = EndpointId::new("F4B2990C-075A-4132-967C-2FA3431E89DF");
        let b = EndpointId::new("f4b2990c-075a-4132-967c-2fa3431e89df");
        assert_eq!(a, b);
        let set: HashSet<_> = [a.clone(), b].into_iter().collect();
        assert_eq!(set.len(), 1);
        assert_eq!(a.as_str(), "F4B2990C-075A-4132-967C-2FA3431E89DF");
    }

    #[test]
    fn synthetic_guids_give_back_the_legacy_command_id() {
        let id = CompanyId::new("436f6d6d-616e-6420-4944-3a2000051f97");
        assert_eq!(id.legacy_command_id(), Some(335_767));
        assert_eq!(
            SiteId::new("436F6D6D-616E-6420-4944-3A2000000001").legacy_command_id(),
            Some(1)
        );
        assert_eq!(
            CompanyId::new("f4b2990c-075a-4132-967c-2fa3431e89df").legacy_command_id(),
            None
        );
        assert_eq!(CompanyId::new("not-a-guid").legacy_command_id(), None);
        assert_eq!(
            CompanyId::new("436f6d6d-616e-6420-4944-3a20000é1f97").legacy_command_id(),
            None
        );
    }

    #[test]
    fn numeric_ids_decode_as_strings() {
        let id: CompanyId = serde_json::from_str("335767").unwrap();
        assert_eq!(id.as_str(), "335767");
        assert!(serde_json::from_str::<CompanyId>("{}").is_err());
    }
}
