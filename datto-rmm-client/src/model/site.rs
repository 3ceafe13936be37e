//! Sites: `GET /v2/account/sites`, `GET|POST /v2/site/{uid}`, `PUT /v2/site`, `GET /v2/site/{uid}/settings`.

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

use crate::ids::{AccountUid, SiteId, SiteUid};
use crate::model::page::page_type;

/// A Datto site: the unit a customer is kept in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// Numeric id.
    #[serde(default)]
    pub id: Option<SiteId>,
    /// UID (not always a GUID).
    #[serde(default)]
    pub uid: Option<SiteUid>,
    /// Owning account.
    #[serde(default)]
    pub account_uid: Option<AccountUid>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// On-demand site.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub on_demand: Option<bool>,
    /// Splashtop auto-install.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub splashtop_auto_install: Option<bool>,
    /// Proxy settings (usually null).
    #[serde(default)]
    pub proxy_settings: Option<ProxySettings>,
    /// Device counters.
    #[serde(default)]
    pub devices_status: Option<SiteDevicesStatus>,
    /// Linked Autotask company name.
    #[serde(default)]
    pub autotask_company_name: Option<String>,
    /// Linked Autotask company id (a string in the spec).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub autotask_company_id: Option<String>,
    /// Web portal link.
    #[serde(default)]
    pub portal_url: Option<String>,
}

/// The system sites Datto creates in every account; they hold no customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemSite {
    /// "Deleted Devices" (its uid is not a GUID).
    DeletedDevices,
    /// "Managed".
    Managed,
    /// "OnDemand".
    OnDemand,
}

impl SystemSite {
    /// Recognises a system site by its name (case, spaces and dashes ignored).
    pub fn from_name(name: &str) -> Option<Self> {
        let key: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "deleteddevices" => Some(Self::DeletedDevices),
            "managed" => Some(Self::Managed),
            "ondemand" => Some(Self::OnDemand),
            _ => None,
        }
    }
}

impl Site {
    /// The system site this is, if any.
    pub fn system_site(&self) -> Option<SystemSite> {
        self.name.as_deref().and_then(SystemSite::from_name)
    }

    /// True for "Deleted Devices", "Managed" and "OnDemand".
    pub fn is_system_site(&self) -> bool {
        self.system_site().is_some()
    }
}

/// `Site.devicesStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteDevicesStatus {
    /// All devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_devices: Option<i64>,
    /// Online devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_online_devices: Option<i64>,
    /// Offline devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_offline_devices: Option<i64>,
}

psa_rmm_core::string_enum! {
    /// Proxy protocol.
    pub enum ProxyType {
        /// HTTP proxy.
        Http = "http",
        /// SOCKS4.
        Socks4 = "socks4",
        /// SOCKS5.
        Socks5 = "socks5",
    }
}

/// A site's proxy settings. The password is a secret: never printed, sent only when set.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettings {
    /// Proxy host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Proxy port.
    #[serde(
        default,
        deserialize_with = "psa_rmm_core::wire::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<i64>,
    /// Protocol.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub proxy_type: Option<ProxyType>,
    /// User name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password.
    #[serde(
        default,
        serialize_with = "expose_opt_secret",
        deserialize_with = "opt_secret",
        skip_serializing_if = "Option::is_none"
    )]
    pub password: Option<SecretString>,
}

fn opt_secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(psa_rmm_core::wire::opt_string(d)?.map(SecretString::from))
}

fn expose_opt_secret<S: Serializer>(v: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match v {
        Some(p) => s.serialize_str(p.expose_secret()),
        None => s.serialize_none(),
    }
}

impl std::fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxySettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("proxy_type", &self.proxy_type)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl PartialEq for ProxySettings {
    fn eq(&self, other: &Self) -> bool {
        use secrecy::ExposeSecret;
        self.host == other.host
            && self.port == other.port
            && self.proxy_type == other.proxy_type
            && self.username == other.username
            && self.password.as_ref().map(|p| p.expose_secret().to_owned())
                == other
                    .password
                    .as_ref()
                    .map(|p| p.expose_secret().to_owned())
    }
}

page_type!(
    /// `GET /v2/account/sites`.
    SitesPage,
    sites,
    Site
);

/// `PUT /v2/site` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSiteRequest {
    /// Name (required).
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// On-demand site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<bool>,
    /// Splashtop auto-install.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splashtop_auto_install: Option<bool>,
    /// Proxy settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_settings: Option<ProxySettings>,
}

impl CreateSiteRequest {
    /// A request with only the required name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// `POST /v2/site/{uid}` body. Datto requires the name on every update.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSiteRequest {
    /// Name (required, resend the current one to keep it).
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// On-demand site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<bool>,
    /// Splashtop auto-install.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splashtop_auto_install: Option<bool>,
}

impl UpdateSiteRequest {
    /// An update that sets only the name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// `GET /v2/site/{uid}/settings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteSettings {
    /// General settings.
    #[serde(default)]
    pub general_settings: Option<GeneralSettings>,
    /// Proxy settings.
    #[serde(default)]
    pub proxy_settings: Option<ProxySettings>,
    /// Mail recipients.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub mail_recipients: Vec<MailRecipient>,
}

/// `SiteSettings.generalSettings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneralSettings {
    /// Site name.
    #[serde(default)]
    pub name: Option<String>,
    /// Site UID.
    #[serde(default)]
    pub uid: Option<SiteUid>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// On-demand site.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub on_demand: Option<bool>,
}

/// `SiteSettings.mailRecipients[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailRecipient {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Recipient type.
    #[serde(default, rename = "type")]
    pub recipient_type: Option<String>,
    /// Bit mask of what it receives.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub receives: Option<i64>,
    /// Receives reports.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub receives_reports: Option<bool>,
    /// Receives new-device notices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub receives_new_devices: Option<bool>,
    /// Receives alerts.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub receives_alerts: Option<bool>,
}
