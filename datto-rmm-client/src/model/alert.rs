//! Alerts: `GET /v2/{account|site/{uid}|device/{uid}}/alerts/{open|resolved}`, `GET /v2/alert/{uid}`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::ids::{AlertUid, DeviceUid, SiteUid};
use crate::model::page::page_type;

psa_rmm_core::string_enum! {
    /// `Alert.priority`.
    pub enum AlertPriority {
        /// Critical.
        Critical = "Critical",
        /// High.
        High = "High",
        /// Moderate.
        Moderate = "Moderate",
        /// Low.
        Low = "Low",
        /// Information.
        Information = "Information",
        /// Unknown.
        Unknown = "Unknown",
    }
}

psa_rmm_core::string_enum! {
    /// `ResponseAction.actionType`.
    pub enum ResponseActionType {
        /// E-mail sent.
        EmailSent = "EMAIL_SENT",
        /// E-mail failed.
        EmailSendError = "EMAIL_SEND_ERROR",
        /// Ticket pending.
        TicketPending = "TICKET_PENDING",
        /// Ticket created.
        TicketCreated = "TICKET_CREATED",
        /// Ticket creation failed.
        TicketCreationError = "TICKET_CREATION_ERROR",
        /// Ticket closed.
        TicketClosedCall = "TICKET_CLOSED_CALL",
        /// Component run.
        Component = "COMPONENT",
        /// Webhook executed.
        WebhookExecuted = "WEBHOOK_EXECUTED",
        /// Webhook failed.
        WebhookExecutionError = "WEBHOOK_EXECUTION_ERROR",
    }
}

/// `alertContext`: a Jackson object tagged by `"@class"` (e.g. `disk_usage_ctx`); the variant fields are kept
/// as JSON so unknown classes never fail.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertContext {
    /// The `@class` tag.
    pub class: Option<String>,
    /// Every other field.
    pub fields: Map<String, Value>,
}

impl AlertContext {
    /// The class without its `_ctx` suffix (`disk_usage_ctx` -> `disk_usage`).
    pub fn category(&self) -> Option<&str> {
        self.class
            .as_deref()
            .map(|c| c.strip_suffix("_ctx").unwrap_or(c))
    }

    /// A field as text (strings verbatim, other scalars rendered).
    pub fn field_text(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for AlertContext {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = match Value::deserialize(d)? {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let class = match fields.remove("@class") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        Ok(Self { class, fields })
    }
}

impl Serialize for AlertContext {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = self.fields.clone();
        if let Some(c) = &self.class {
            m.insert("@class".into(), Value::String(c.clone()));
        }
        m.serialize(s)
    }
}

/// `alertMonitorInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertMonitorInfo {
    /// Monitor sends e-mails.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub sends_emails: Option<bool>,
    /// Monitor creates tickets.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub creates_ticket: Option<bool>,
}

/// `alertSourceInfo`: the device and site that raised the alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSourceInfo {
    /// Device UID.
    #[serde(default)]
    pub device_uid: Option<DeviceUid>,
    /// Device name.
    #[serde(default)]
    pub device_name: Option<String>,
    /// Site UID.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Site name.
    #[serde(default)]
    pub site_name: Option<String>,
}

/// `responseActions[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseAction {
    /// When it ran.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub action_time: Option<DateTime<Utc>>,
    /// What it was.
    #[serde(default)]
    pub action_type: Option<ResponseActionType>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Reference (e.g. ticket number).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub action_reference: Option<String>,
    /// Numeric reference, as a string.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub action_reference_int: Option<String>,
}

/// An alert.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// UID.
    #[serde(default)]
    pub alert_uid: Option<AlertUid>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<AlertPriority>,
    /// Diagnostic text.
    #[serde(default)]
    pub diagnostics: Option<String>,
    /// Resolved.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub resolved: Option<bool>,
    /// Who resolved it.
    #[serde(default)]
    pub resolved_by: Option<String>,
    /// When it was resolved (epoch ms on the wire).
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub resolved_on: Option<DateTime<Utc>>,
    /// Muted (deprecated since 8.9.0).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub muted: Option<bool>,
    /// Ticket number.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub ticket_number: Option<String>,
    /// When it was raised (epoch ms on the wire).
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub timestamp: Option<DateTime<Utc>>,
    /// Monitor info.
    #[serde(default)]
    pub alert_monitor_info: Option<AlertMonitorInfo>,
    /// Polymorphic context.
    #[serde(default)]
    pub alert_context: Option<AlertContext>,
    /// Source device and site.
    #[serde(default)]
    pub alert_source_info: Option<AlertSourceInfo>,
    /// Response actions.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub response_actions: Vec<ResponseAction>,
    /// Auto-resolve delay in minutes.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub autoresolve_mins: Option<i64>,
}

page_type!(
    /// Alert list pages.
    AlertsPage,
    alerts,
    Alert
);
