//! Capability traits: what the sync engine asks of a PSA or an RMM, implemented by the vendor crates.
//!
//! Each trait is one capability, so a vendor implements only what its API can do (Datto RMM has no
//! configuration store, Manage has no device inventory of its own). All traits are object safe and async
//! (via `async_trait`), meant to be held as `Arc<dyn Trait>`; every call fails with a [`ConnectorError`],
//! whose predicates tell the executor whether a retry may help.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::model::{Alert, Company, Device, ExternalRef, Site, System, Ticket};

/// The error type of a vendor client, kept as the source of a [`ConnectorError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A stream of records pulled page by page from a vendor.
pub type RecordStream<T> = BoxStream<'static, Result<T, ConnectorError>>;

/// What went wrong, in terms the executor can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Credentials refused or missing permissions (HTTP 401/403).
    Auth,
    /// The record does not exist (HTTP 404).
    NotFound,
    /// The vendor refused the request as invalid (HTTP 400/409/422).
    Rejected,
    /// Too many requests; retry after a pause.
    RateLimited,
    /// The vendor failed (HTTP 5xx).
    Server,
    /// Connection refused, reset, or timed out.
    Transport,
    /// The vendor answered with a body this crate could not read.
    Decode,
    /// This connector cannot do that (the vendor API has no such operation).
    Unsupported,
    /// Anything else.
    Other,
}

/// The one error of every capability trait.
///
/// Boxed inside so `Result<T, ConnectorError>` stays one pointer wide. It carries the vendor error as its
/// [`source`](std::error::Error::source), so nothing of the original diagnosis is lost; its `Display` never
/// contains secrets because vendor errors redact them.
pub struct ConnectorError(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    retryable: bool,
    retry_after: Option<Duration>,
    source: Option<BoxError>,
}

impl ConnectorError {
    /// An error of `kind` with a message. Retryable by default for rate limits, server and transport errors.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let retryable = matches!(
            kind,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Transport
        );
        Self(Box::new(Inner {
            kind,
            message: message.into(),
            status: None,
            retryable,
            retry_after: None,
            source: None,
        }))
    }

    /// An error that wraps a vendor error; the kind is derived from `status` when one is given.
    pub fn from_source(source: impl Into<BoxError>, status: Option<u16>, retryable: bool) -> Self {
        let source = source.into();
        let kind = status.map_or(ErrorKind::Other, kind_of_status);
        Self(Box::new(Inner {
            kind,
            message: source.to_string(),
            status,
            retryable,
            retry_after: None,
            source: Some(source),
        }))
    }

    /// A record the vendor sent but the connector could not convert to a core model: kind `Decode`, not
    /// retryable (the same record converts the same way next time).
    pub fn decode(source: impl Into<BoxError>) -> Self {
        Self::from_source(source, None, false).with_kind(ErrorKind::Decode)
    }

    /// The operation is not offered by this connector.
    pub fn unsupported(what: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, what)
    }

    /// Replaces the kind.
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.0.kind = kind;
        self
    }

    /// Sets the HTTP status.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Sets whether a retry may succeed.
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.0.retryable = retryable;
        self
    }

    /// Sets the pause the vendor asked for.
    #[must_use]
    pub fn with_retry_after(mut self, after: Option<Duration>) -> Self {
        self.0.retry_after = after;
        self
    }

    /// Adds context in front of the message (e.g. the operation that failed).
    #[must_use]
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.0.message = format!("{what}: {}", self.0.message);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, when the vendor answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// True when the same call may succeed later.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }

    /// The pause the vendor asked for, when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// True for credential or permission failures.
    pub fn is_auth(&self) -> bool {
        self.0.kind == ErrorKind::Auth
    }

    /// True when the record does not exist.
    pub fn is_not_found(&self) -> bool {
        self.0.kind == ErrorKind::NotFound
    }

    /// True when a write that failed this way may still have been stored: the request may have reached
    /// the vendor and no answer said otherwise (a broken connection, a timeout, an unreadable success body,
    /// a 5xx other than 501 Not Implemented). A re-run must look the record up (sticky link, dedupe key)
    /// rather than trust that nothing was written.
    pub fn outcome_unknown(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport | ErrorKind::Decode => true,
            ErrorKind::Server => self.0.status != Some(501),
            _ => false,
        }
    }

    /// The message without kind or status.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl ErrorKind {
    /// The kind of an HTTP status.
    pub fn of_status(status: u16) -> Self {
        kind_of_status(status)
    }

    /// The kind of an HTTP runtime error (vendor clients wrap these).
    #[cfg(feature = "http")]
    pub fn of_http(error: &crate::http::HttpError) -> Self {
        use crate::http::HttpError as H;
        match error {
            H::Api(_) => error
                .status()
                .map_or(Self::Other, |s| kind_of_status(s.as_u16())),
            H::Transport { .. } | H::Timeout { .. } => Self::Transport,
            H::Decode(_) | H::BodyTooLarge { .. } => Self::Decode,
            H::InvalidRequest(_) => Self::Rejected,
            _ => Self::Other,
        }
    }
}

fn kind_of_status(status: u16) -> ErrorKind {
    match status {
        401 | 403 => ErrorKind::Auth,
        404 | 410 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::Rejected,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

impl ExternalRef {
    /// The id, when the reference points into `system`; a `Rejected` error naming `what` (e.g. "device")
    /// otherwise, so a connector never sends another tool's id to its own API.
    pub fn id_in(&self, system: System, what: &str) -> Result<&str, ConnectorError> {
        if self.system == system {
            Ok(&self.id)
        } else {
            Err(ConnectorError::new(
                ErrorKind::Rejected,
                format!("{self} is not a {system} {what}"),
            ))
        }
    }
}

impl fmt::Debug for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectorError")
            .field("kind", &self.0.kind)
            .field("status", &self.0.status)
            .field("retryable", &self.0.retryable)
            .field("message", &self.0.message)
            .finish()
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.status {
            Some(s) => write!(f, "{} (HTTP {s})", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// RMM or PSA companies and sites: the customers a mapping links.
#[async_trait]
pub trait CompanyDirectory: Send + Sync {
    /// Every company (PSA companies; RMM companies, or Datto sites seen as customers).
    async fn companies(&self) -> Result<Vec<Company>, ConnectorError>;
    /// Every site; empty when the tool has no sites.
    async fn sites(&self) -> Result<Vec<Site>, ConnectorError>;
}

/// RMM devices with their hardware identity.
pub trait DeviceInventory: Send + Sync {
    /// All devices, page by page. Each device's `company` (and `site`) names the RMM customer it belongs to.
    fn devices(&self) -> RecordStream<Device>;
}

/// RMM alerts, open and resolved.
pub trait AlertFeed: Send + Sync {
    /// Alerts still open.
    fn open_alerts(&self) -> RecordStream<Alert>;
    /// Alerts resolved (the vendor decides how far back it keeps them).
    fn resolved_alerts(&self) -> RecordStream<Alert>;
}

/// A field of a PSA configuration the sync writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigField {
    /// Configuration name (the host name).
    Name,
    /// Configuration type name.
    Type,
    /// Hardware serial number.
    SerialNumber,
    /// Primary MAC address.
    MacAddress,
    /// Primary IP address.
    IpAddress,
    /// Operating system.
    Os,
    /// Model.
    Model,
    /// Manufacturer.
    Manufacturer,
    /// Last logged-on user.
    LastUser,
    /// Warranty end date, `YYYY-MM-DD`.
    WarrantyExpires,
    /// Sticky link: the RMM device id (Manage `deviceIdentifier`).
    LinkedId,
    /// `true` or `false`.
    Active,
}

impl ConfigField {
    /// Short name for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Type => "type",
            Self::SerialNumber => "serial",
            Self::MacAddress => "mac",
            Self::IpAddress => "ip",
            Self::Os => "os",
            Self::Model => "model",
            Self::Manufacturer => "manufacturer",
            Self::LastUser => "last_user",
            Self::WarrantyExpires => "warranty",
            Self::LinkedId => "linked_id",
            Self::Active => "active",
        }
    }
}

impl fmt::Display for ConfigField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field change with the value seen before (for diffs and reports) and the value to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field.
    pub field: ConfigField,
    /// Value in the PSA now.
    pub before: Option<String>,
    /// Value to write; `None` clears the field.
    pub after: Option<String>,
}

/// A configuration to create in the PSA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConfiguration {
    /// PSA company that owns it.
    pub company: ExternalRef,
    /// Configuration name (the device host name).
    pub name: String,
    /// PSA configuration type name.
    pub type_name: String,
    /// The RMM device it mirrors: stored as the sticky link so a re-run finds it instead of creating again.
    pub rmm_device: ExternalRef,
    /// Initial field values (serial, MAC, IP, ...); never `Name`, `Type` or `LinkedId`.
    pub fields: Vec<(ConfigField, String)>,
}

/// PSA configurations (Manage configurations), read and written.
#[async_trait]
pub trait ConfigurationStore: Send + Sync {
    /// Configurations of one PSA company, active and inactive, as devices (`type_name` = configuration
    /// type, `linked_id` = stored RMM device id).
    async fn configurations(&self, company: &ExternalRef) -> Result<Vec<Device>, ConnectorError>;
    /// Every configuration of every company, page by page (for device-overlap evidence and moves between
    /// companies).
    fn all_configurations(&self) -> RecordStream<Device>;
    /// The configuration whose sticky link holds `rmm_device`'s id, if any.
    async fn find_linked(&self, rmm_device: &ExternalRef)
    -> Result<Option<Device>, ConnectorError>;
    /// Creates a configuration; returns the stored record.
    async fn create(&self, new: &NewConfiguration) -> Result<Device, ConnectorError>;
    /// Writes field changes to a configuration; returns the stored record.
    async fn update(
        &self,
        configuration: &ExternalRef,
        changes: &[FieldChange],
    ) -> Result<Device, ConnectorError>;
}

/// Whether a ticket note is visible to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteVisibility {
    /// Internal analysis: staff only.
    #[default]
    Internal,
    /// Discussion: customer facing.
    External,
}

/// A note on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketNote {
    /// Text.
    pub text: String,
    /// Who sees it.
    pub visibility: NoteVisibility,
}

/// A ticket to open, with the fields of a ConnectSecure-style integration rule resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTicket {
    /// PSA company.
    pub company: ExternalRef,
    /// Summary line (the PSA may truncate it; Manage keeps 100 characters).
    pub summary: String,
    /// Initial description.
    pub description: String,
    /// Where the description goes.
    pub description_visibility: NoteVisibility,
    /// Service board name.
    pub board: Option<String>,
    /// Status on creation.
    pub status: Option<String>,
    /// Service type.
    pub service_type: Option<String>,
    /// Service subtype.
    pub subtype: Option<String>,
    /// Service item.
    pub item: Option<String>,
    /// Priority name.
    pub priority: Option<String>,
    /// Source name.
    pub source: Option<String>,
    /// The key that ties the ticket to its alert or group; stored on the ticket (Manage `externalXRef`).
    pub dedupe_key: String,
    /// PSA configuration the ticket is about.
    pub configuration: Option<ExternalRef>,
}

/// PSA service tickets opened from alerts.
#[async_trait]
pub trait TicketDesk: Send + Sync {
    /// Open tickets that carry a dedupe key (the tickets this integration opened and has not closed).
    async fn open_tickets(&self) -> Result<Vec<Ticket>, ConnectorError>;
    /// The open ticket carrying `dedupe_key`, if any.
    async fn find_by_dedupe_key(&self, dedupe_key: &str) -> Result<Option<Ticket>, ConnectorError>;
    /// Opens a ticket; returns the stored record.
    async fn open_ticket(&self, new: &NewTicket) -> Result<Ticket, ConnectorError>;
    /// The notes of a ticket (with its description when the PSA keeps it as the first note).
    async fn notes(&self, ticket: &ExternalRef) -> Result<Vec<TicketNote>, ConnectorError>;
    /// Adds a note.
    async fn add_note(&self, ticket: &ExternalRef, note: &TicketNote)
    -> Result<(), ConnectorError>;
    /// Moves the ticket to `status` (a closed status); returns the stored record.
    async fn close_ticket(
        &self,
        ticket: &ExternalRef,
        status: &str,
    ) -> Result<Ticket, ConnectorError>;
}

/// A value written back to an RMM device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeviceFieldValue {
    /// The PSA configuration id, in the field the connector was configured with (a Datto UDF, an Asio
    /// custom field).
    PsaConfigurationId(String),
    /// The warranty end date (Datto's warranty field; a custom field elsewhere).
    WarrantyExpires(NaiveDate),
}

impl fmt::Display for DeviceFieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PsaConfigurationId(id) => write!(f, "psa_id={id}"),
            Self::WarrantyExpires(d) => write!(f, "warranty={d}"),
        }
    }
}

/// Writes values back to RMM devices.
#[async_trait]
pub trait DeviceFieldWriter: Send + Sync {
    /// True when this RMM has a place for `value`'s field; planners leave the others out.
    fn accepts(&self, value: &DeviceFieldValue) -> bool {
        let _ = value;
        true
    }

    /// Writes one value to one device.
    async fn write_field(
        &self,
        device: &ExternalRef,
        value: &DeviceFieldValue,
    ) -> Result<(), ConnectorError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Debug, thiserror::Error)]
    #[error("vendor said no")]
    struct VendorError;

    #[test]
    fn status_sets_kind_and_source_is_kept() {
        let e = ConnectorError::from_source(VendorError, Some(404), false);
        assert!(e.is_not_found());
        assert_eq!(e.status(), Some(404));
        assert!(!e.is_retryable());
        assert_eq!(e.to_string(), "vendor said no (HTTP 404)");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("vendor said no"));
        assert_eq!(
            std::mem::size_of::<ConnectorError>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn decode_errors_keep_the_source_and_are_final() {
        let e = ConnectorError::decode(VendorError);
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(!e.is_retryable() && e.status().is_none());
        assert_eq!(e.to_string(), "vendor said no");
    }

    #[test]
    fn references_are_checked_against_their_system() {
        let r = ExternalRef::new(System::DattoRmm, "u1");
        assert_eq!(r.id_in(System::DattoRmm, "device").unwrap(), "u1");
        let e = r.id_in(System::CwAsio, "device").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Rejected);
        assert!(!e.is_retryable());
        assert_eq!(e.to_string(), "datto-rmm:u1 is not a cw-asio device");
    }

    #[test]
    fn writes_that_may_have_landed_are_unknown() {
        let unknown = |kind, status: Option<u16>| {
            let mut e = ConnectorError::new(kind, "x");
            if let Some(s) = status {
                e = e.with_status(s);
            }
            e.outcome_unknown()
        };
        assert!(unknown(ErrorKind::Transport, None));
        assert!(unknown(ErrorKind::Decode, Some(201)));
        assert!(unknown(ErrorKind::Server, Some(504)));
        assert!(unknown(ErrorKind::Server, Some(500)));
        assert!(unknown(ErrorKind::Server, Some(503)));
        assert!(!unknown(ErrorKind::Server, Some(501)));
        assert!(!unknown(ErrorKind::RateLimited, Some(429)));
        assert!(!unknown(ErrorKind::Auth, Some(401)));
        assert!(!unknown(ErrorKind::Rejected, Some(400)));
    }

    #[test]
    fn transient_kinds_are_retryable_by_default() {
        assert!(ConnectorError::new(ErrorKind::Transport, "reset").is_retryable());
        assert!(!ConnectorError::new(ErrorKind::Rejected, "bad").is_retryable());
        let e = ConnectorError::new(ErrorKind::RateLimited, "slow down")
            .with_retry_after(Some(Duration::from_secs(3)))
            .context("create configuration");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(e.message(), "create configuration: slow down");
    }

    struct Nothing;
    impl DeviceInventory for Nothing {
        fn devices(&self) -> RecordStream<Device> {
            Box::pin(futures::stream::empty())
        }
    }

    #[test]
    fn traits_are_object_safe() {
        let inv: Arc<dyn DeviceInventory> = Arc::new(Nothing);
        let n = futures::executor::block_on(futures::StreamExt::count(inv.devices()));
        assert_eq!(n, 0);
    }
}
