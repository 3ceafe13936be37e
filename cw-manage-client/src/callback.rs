//! Callback (webhook) deliveries: signature verification and payload parsing.
//!
//! Manage signs a delivery with `x-content-signature` = base64(HMAC-SHA256(key = SHA256(signing key),
//! message = raw body)). The signing key comes from `GET Metadata.key_url` (`{"signing_key": "..."}`).
//! Verify against the raw bytes you received, before parsing: re-serialised JSON does not match.

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use psa_rmm_core::wire;

/// The header Manage puts the signature in.
pub const SIGNATURE_HEADER: &str = "x-content-signature";

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// No signature header.
    #[error("the delivery has no x-content-signature header")]
    MissingSignature,
    /// The header is not base64.
    #[error("the x-content-signature header is not base64")]
    MalformedSignature,
    /// The signature does not match the body.
    #[error("the x-content-signature does not match the body (wrong signing key or altered body)")]
    BadSignature,
    /// The body is not a callback payload.
    #[error("the delivery body is not a callback payload: {0}")]
    Body(#[source] serde_json::Error),
    /// The entity does not decode as the requested type.
    #[error("the delivery's Entity does not decode: {0}")]
    Entity(#[source] serde_json::Error),
}

/// Verifies deliveries with one signing key. `Debug` never shows the key.
#[derive(Clone)]
pub struct SignatureVerifier {
    key: SecretString,
}

impl std::fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureVerifier")
            .field("key", &"[REDACTED]")
            .finish()
    }
}

impl SignatureVerifier {
    /// A verifier for `signing_key` (the `signing_key` of the key URL's answer).
    pub fn new(signing_key: SecretString) -> Self {
        Self { key: signing_key }
    }

    fn mac(&self) -> hmac::Hmac<Sha256> {
        let hashed = Sha256::digest(self.key.expose_secret().as_bytes());
        // HMAC zero-pads a key shorter than the 64-byte block, so padding it here gives the same MAC
        // through the infallible constructor.
        let mut key = hmac::digest::Key::<hmac::Hmac<Sha256>>::default();
        key[..hashed.len()].copy_from_slice(&hashed);
        <hmac::Hmac<Sha256> as KeyInit>::new(&key)
    }

    /// Checks `signature` (the header value, base64) against the raw `body`, in constant time.
    pub fn verify(&self, body: &[u8], signature: Option<&str>) -> Result<(), CallbackError> {
        let sig = signature
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(CallbackError::MissingSignature)?;
        let tag = base64::engine::general_purpose::STANDARD
            .decode(sig)
            .map_err(|_| CallbackError::MalformedSignature)?;
        let mut mac = self.mac();
        mac.update(body);
        mac.verify_slice(&tag)
            .map_err(|_| CallbackError::BadSignature)
    }

    /// The signature Manage would send for `body` (for tests and fakes).
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Verifies, then parses the delivery.
    pub fn verify_and_parse(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<CallbackDelivery, CallbackError> {
        self.verify(body, signature)?;
        CallbackDelivery::from_slice(body)
    }
}

psa_rmm_core::string_enum! {
    /// What happened to the record.
    pub enum CallbackAction {
        /// Created.
        Added = "added",
        /// Changed.
        Updated = "updated",
        /// Deleted (the entity is `null`).
        Deleted = "deleted",
    }
}

/// `Metadata` of a delivery.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CallbackMetadata {
    /// Where to fetch the signing key.
    #[serde(default, alias = "keyUrl", alias = "KeyUrl")]
    pub key_url: Option<String>,
    /// Keys this version does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A callback delivery body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CallbackDelivery {
    /// added / updated / deleted.
    #[serde(rename = "Action", alias = "action", default)]
    pub action: Option<CallbackAction>,
    /// The callback registration that fired.
    #[serde(
        rename = "CallbackObjectRecId",
        alias = "callbackObjectRecId",
        default,
        deserialize_with = "wire::opt_i64"
    )]
    pub callback_object_rec_id: Option<i64>,
    /// PSA login company.
    #[serde(rename = "CompanyId", alias = "companyId", default)]
    pub company_id: Option<String>,
    /// The record: a JSON string in the wire format, an object in some relays, `null` on delete.
    /// Decoded here to a JSON value; it may be partial, so re-read the record when you need all of it.
    #[serde(
        rename = "Entity",
        alias = "entity",
        default,
        deserialize_with = "entity"
    )]
    pub entity: Option<Value>,
    /// Host the delivery came from.
    #[serde(rename = "FromUrl", alias = "fromUrl", default)]
    pub from_url: Option<String>,
    /// Record id.
    #[serde(
        rename = "ID",
        alias = "Id",
        alias = "id",
        default,
        deserialize_with = "wire::opt_i64"
    )]
    pub id: Option<i64>,
    /// Member who made the change.
    #[serde(
        rename = "MemberId",
        alias = "memberId",
        default,
        deserialize_with = "wire::opt_string"
    )]
    pub member_id: Option<String>,
    /// Unique per delivery: dedupe on it.
    #[serde(rename = "MessageId", alias = "messageId", default)]
    pub message_id: Option<String>,
    /// Metadata (the signing key URL).
    #[serde(rename = "Metadata", alias = "metadata", default)]
    pub metadata: Option<CallbackMetadata>,
    /// Partner id (may be null).
    #[serde(
        rename = "PartnerId",
        alias = "partnerId",
        default,
        deserialize_with = "wire::opt_string"
    )]
    pub partner_id: Option<String>,
    /// Product instance id (may be null).
    #[serde(
        rename = "ProductInstanceId",
        alias = "productInstanceId",
        default,
        deserialize_with = "wire::opt_string"
    )]
    pub product_instance_id: Option<String>,
    /// Record type (`contact`, `ticket`, `company`, `configuration`, ...).
    #[serde(rename = "Type", alias = "type", default)]
    pub record_type: Option<String>,
    /// Keys this version does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn entity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        // A string that is not JSON is kept verbatim rather than failing the whole delivery.
        Some(Value::String(s)) => Some(serde_json::from_str(&s).unwrap_or(Value::String(s))),
        Some(other) => Some(other),
    })
}

impl CallbackDelivery {
    /// Parses a delivery body.
    pub fn from_slice(body: &[u8]) -> Result<Self, CallbackError> {
        serde_json::from_slice(body).map_err(CallbackError::Body)
    }

    /// The entity decoded as `T` (`model::Contact`, `model::Ticket`, ...); `None` when absent (deletes).
    pub fn entity_as<T: DeserializeOwned>(&self) -> Result<Option<T>, CallbackError> {
        self.entity
            .clone()
            .map(serde_json::from_value)
            .transpose()
            .map_err(CallbackError::Entity)
    }

    /// True for a delete.
    pub fn is_delete(&self) -> bool {
        self.action == Some(CallbackAction::Deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    const ADDED: &[u8] = include_bytes!("../tests/fixtures/callback_payload_contact_added.json");
    const DELETED: &[u8] =
        include_bytes!("../tests/fixtures/callback_payload_contact_deleted.json");

    fn verifier() -> SignatureVerifier {
        SignatureVerifier::new(SecretString::from("s3cr3t-signing-key"))
    }

    #[test]
    fn signature_matches_an_independent_computation() {
        // HMAC-SHA256 keyed by SHA256(key), computed here from the primitives.
        let key = Sha256::digest(b"s3cr3t-signing-key");
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
        mac.update(ADDED);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(verifier().sign(ADDED), expected);
        assert!(verifier().verify(ADDED, Some(&expected)).is_ok());
    }

    #[test]
    fn a_changed_body_or_key_or_header_is_refused() {
        let sig = verifier().sign(ADDED);
        let mut body = ADDED.to_vec();
        body[10] ^= 1;
        assert!(matches!(
            verifier().verify(&body, Some(&sig)),
            Err(CallbackError::BadSignature)
        ));
        let other = SignatureVerifier::new(SecretString::from("other"));
        assert!(matches!(
            other.verify(ADDED, Some(&sig)),
            Err(CallbackError::BadSignature)
        ));
        assert!(matches!(
            verifier().verify(ADDED, None),
            Err(CallbackError::MissingSignature)
        ));
        assert!(matches!(
            verifier().verify(ADDED, Some("%%%")),
            Err(CallbackError::MalformedSignature)
        ));
        // Keyed by SHA256(key), not the key itself.
        let mut raw =
            <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(b"s3cr3t-signing-key").unwrap();
        raw.update(ADDED);
        let raw_sig = base64::engine::general_purpose::STANDARD.encode(raw.finalize().into_bytes());
        assert!(verifier().verify(ADDED, Some(&raw_sig)).is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        assert!(!format!("{:?}", verifier()).contains("s3cr3t"));
    }

    #[test]
    fn entity_as_json_string_decodes() {
        let d = verifier()
            .verify_and_parse(ADDED, Some(&verifier().sign(ADDED)))
            .unwrap();
        assert_eq!(d.action, Some(CallbackAction::Added));
        assert_eq!(d.id, Some(57960));
        assert_eq!(d.record_type.as_deref(), Some("contact"));
        let c: Contact = d.entity_as().unwrap().unwrap();
        assert_eq!(c.id.get(), 57960);
        assert_eq!(c.first_name.as_deref(), Some("Lillie Keebler"));
        assert!(c.info.last_updated().is_some());
    }

    #[test]
    fn null_entity_on_delete_and_object_entity() {
        let d = CallbackDelivery::from_slice(DELETED).unwrap();
        assert!(d.is_delete());
        assert_eq!(d.entity, None);
        assert_eq!(d.entity_as::<Contact>().unwrap(), None);
        let obj = br#"{"Action":"updated","ID":"5","Type":"ticket","Entity":{"id":5,"summary":"x"},"PartnerId":null}"#;
        let d = CallbackDelivery::from_slice(obj).unwrap();
        assert_eq!(d.id, Some(5));
        let t: crate::model::Ticket = d.entity_as().unwrap().unwrap();
        assert_eq!(t.summary.as_deref(), Some("x"));
        assert!(CallbackDelivery::from_slice(b"<html>").is_err());
    }
}
