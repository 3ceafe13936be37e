//! `check-connection`: the seeds' "Test Connection" for each configured vendor. Each check says what it
//! verified, or why it failed as a typed [`Reason`] with the advice for that reason and the seed
//! integration's own checklist.

use std::fmt;
use std::process::ExitCode;
use std::time::Duration;

use psa_rmm_core::http::{HttpError, RetryPolicy};
use psa_rmm_sandbox::{Sandbox, SandboxError, SandboxOptions, TenantSpec};
use serde::Serialize;

use crate::config::{AsioConfig, ConfigError, DattoConfig, ManageConfig, VendorConfig};
use crate::connect::{self, SANDBOX_ASIO_PSA_FIELD};

/// Usage text.
pub const USAGE: &str = "usage: check-connection [--timeout SECONDS] [--json]

Runs the Test Connection of every vendor configured in the environment (see README): ConnectWise Manage,
Datto RMM, ConnectWise Asio. With nothing configured, checks the embedded sandbox's fakes.
Prints OK with what was verified, or FAIL with the reason and what to check.
Exits 0 only when every configured vendor passed.

  --timeout SECONDS   time allowed per request (default 20)
  --json              print the results as JSON";

/// The vendors a check covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    /// ConnectWise Manage.
    Manage,
    /// Datto RMM.
    Datto,
    /// ConnectWise Asio.
    Asio,
}

impl Vendor {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Manage => connect::MANAGE,
            Self::Datto => connect::DATTO,
            Self::Asio => connect::ASIO,
        }
    }
}

/// Why a Test Connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A setting is unusable before anything is sent (bad URL, plain http, a missing value).
    Configuration,
    /// The host could not be reached: DNS, refused connection, proxy, firewall.
    Unreachable,
    /// The TLS handshake failed.
    Tls,
    /// The host did not answer in time.
    Timeout,
    /// Something answered, but not the vendor's API (wrong site, region, platform host or codebase).
    WrongHost,
    /// Manage: no company with this login company id on this site.
    UnknownCompany,
    /// The credentials were refused.
    BadCredentials,
    /// Manage: the `clientId` is missing or not accepted.
    InvalidClientId,
    /// The credentials work but lack rights.
    PermissionDenied,
    /// Datto: a token was issued but the API refuses it (API access or the API user disabled).
    ApiAccessDisabled,
    /// Datto: 403, the temporary IP block after rate limiting.
    IpBlocked,
    /// Asio: a scope the integration asks for is not granted to the key.
    MissingScope,
    /// Asio: 423, the key asked for tokens too often and is locked.
    KeyLocked,
    /// The RMM field that receives the PSA configuration id does not exist (Asio) or is no UDF (Datto).
    WriteBackField,
    /// 429: too many requests.
    RateLimited,
    /// The vendor had a server error.
    ServerError,
    /// The answer could not be read.
    UnexpectedAnswer,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        f.write_str(&text)
    }
}

/// What to check for `reason` on `vendor`.
pub fn advice(vendor: Vendor, reason: Reason) -> &'static str {
    use Reason as R;
    use Vendor as V;
    match (vendor, reason) {
        (_, R::Configuration) => "Fix the setting named above (see README for the variables).",
        (V::Manage, R::Unreachable) => {
            "The site could not be reached: check the host name, DNS, proxy and firewall; an on-premise \
             Manage must be reachable from this machine (allow its IP)."
        }
        (_, R::Unreachable) => {
            "The host could not be reached: check the URL's host name, DNS, proxy and firewall, and that \
             the service is up."
        }
        (_, R::Tls) => {
            "The TLS handshake failed: the server needs a valid certificate from a trusted authority (not \
             self-signed), the URL must use https:// on an https port, and TLS inspection must not replace it."
        }
        (_, R::Timeout) => {
            "The host did not answer in time: check the network and proxy, or raise --timeout."
        }
        (V::Manage, R::WrongHost) => {
            "The site is the base URL (e.g. na.myconnectwise.net, or your on-premise host), not the API \
             path; cloud regions are na, eu, au; the codebase is discovered from login/companyinfo."
        }
        (V::Datto, R::WrongHost) => {
            "The API URL must name your platform: https://{platform}-api.centrastage.net with platform one \
             of pinotage, merlot, concord, vidal, zinfandel, syrah (shown in Setup > Global Settings > API)."
        }
        (V::Asio, R::WrongHost) => {
            "The base URL must be your region's API host (openapi.service.itsupport247.net, \
             openapi.service.euplatform.connectwise.com or openapi.service.auplatform.connectwise.com)."
        }
        (_, R::UnknownCompany) => {
            "No company with this company ID on this site: the company ID must match your ConnectWise \
             login company exactly, and the site must be the one you log in to."
        }
        (V::Manage, R::BadCredentials) => {
            "Manage refused the keys: re-copy the public and private keys of the API member (watch for \
             spaces and line breaks) and check the company ID they belong to."
        }
        (V::Datto, R::BadCredentials) => {
            "Datto refused the API key and secret: re-copy them from the API user, check that they were not \
             regenerated, and that the API URL is your account's platform (keys only work there)."
        }
        (V::Asio, R::BadCredentials) => {
            "Asio refused the client id and secret: re-copy them (the secret is shown once; regenerating \
             invalidates the old pair) and check that the integration was not deactivated."
        }
        (_, R::InvalidClientId) => {
            "Manage needs the integration's clientId (a GUID from developer.connectwise.com/ClientID) in \
             CW_MANAGE_CLIENT_ID; this one is missing or not accepted."
        }
        (V::Manage, R::PermissionDenied) => {
            "The API member's security role lacks rights: give it Companies (Company Maintenance: Inquire; \
             Configurations: Add, Edit, Inquire), Service Desk (Service Tickets: Add, Edit, Inquire) and \
             System (My Company: Inquire) with \"All Records\" access."
        }
        (_, R::PermissionDenied) => {
            "The credentials work but lack rights: check the API user's role and the permissions it grants."
        }
        (_, R::ApiAccessDisabled) => {
            "Datto issued a token but refuses the API: enable the API (Setup > Global Settings > Access \
             Control > Enable API Access) and check that the API user is not disabled."
        }
        (_, R::IpBlocked) => {
            "Datto answers 403 when it blocks this IP for a few minutes after too many requests (every \
             integration on this IP shares one budget): wait 5 minutes and try again; if it persists, the \
             API user lacks access to the account."
        }
        (_, R::MissingScope) => {
            "The API key lacks a scope this integration asks for: grant every scope the check requested \
             (Companies, Sites, Devices read; Custom Fields Definitions read and Values write for write-back)."
        }
        (_, R::KeyLocked) => cw_asio_client::KEY_LOCKED_ADVICE,
        (V::Datto, R::WriteBackField) => {
            "DATTO_RMM_PSA_UDF must be a user-defined field number from 1 to 300 (Setup > Global Settings > \
             User-Defined Fields); pick one no other integration writes."
        }
        (_, R::WriteBackField) => {
            "Create the device custom field in Asio (a text field on devices) or set CW_ASIO_PSA_FIELD to \
             the name or id of an existing one; unset it to run without write-back."
        }
        (_, R::RateLimited) => {
            "The vendor is rate limiting this account: wait a minute, and pause other integrations using \
             the same credentials."
        }
        (_, R::ServerError) => "The vendor had a server error: try again later.",
        (_, R::UnexpectedAnswer) => {
            "The answer was not the API's: check the host (a proxy or login page may answer) and that the \
             vendor's API version is supported."
        }
    }
}

/// Why one vendor's check failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The typed reason.
    pub reason: Reason,
    /// What happened (redacted: never a secret).
    pub detail: String,
    /// What to check for this reason.
    pub advice: &'static str,
    /// The seed integration's checklist for a failed Test Connection.
    pub checklist: &'static str,
}

/// The error and its causes, `: `-joined (the HTTP runtime strips URLs from transport errors, and no
/// error carries a secret), so "transport error" says whether DNS failed or the port was closed.
fn detail(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

impl Failure {
    fn new(vendor: Vendor, reason: Reason, error: &(dyn std::error::Error + 'static)) -> Self {
        Self {
            reason,
            detail: detail(error),
            advice: advice(vendor, reason),
            checklist: connect::advice(vendor.name()),
        }
    }
}

/// The result of one vendor's Test Connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorCheck {
    /// The vendor.
    pub vendor: Vendor,
    /// What was verified, or why it failed.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What a check verified, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// Every step passed.
    Ok {
        /// What was verified, one fact per entry.
        verified: Vec<String>,
    },
    /// A step failed.
    Fail(Failure),
}

impl VendorCheck {
    fn of(vendor: Vendor, result: Result<Vec<String>, Failure>) -> Self {
        let outcome = match result {
            Ok(verified) => Outcome::Ok { verified },
            Err(f) => Outcome::Fail(f),
        };
        Self { vendor, outcome }
    }

    /// The failure, when the check failed.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.outcome {
            Outcome::Fail(f) => Some(f),
            Outcome::Ok { .. } => None,
        }
    }
}

impl fmt::Display for VendorCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Ok { verified } => {
                writeln!(f, "OK    {}", self.vendor.name())?;
                for fact in verified {
                    writeln!(f, "      - {fact}")?;
                }
            }
            Outcome::Fail(fail) => {
                writeln!(f, "FAIL  {}: {}", self.vendor.name(), fail.reason)?;
                writeln!(f, "      {}", fail.detail)?;
                writeln!(f, "      what to check: {}", fail.advice)?;
                writeln!(f, "      the seed's checklist: {}", fail.checklist)?;
            }
        }
        Ok(())
    }
}

/// How patient the checks are. A Test Connection answers quickly rather than retrying for minutes.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Time allowed per request.
    pub timeout: Duration,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// How long Datto's client holds back after a 403 IP block before its one probe.
    pub datto_block_probe: Duration,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            retry: RetryPolicy {
                max_attempts: 2,
                initial_delay: Duration::from_millis(500),
                max_elapsed: Duration::from_secs(60),
                max_retry_after: Duration::from_secs(5),
                ..RetryPolicy::default()
            },
            datto_block_probe: Duration::from_secs(2),
        }
    }
}

/// Runs the check of every vendor `config` holds, concurrently; `insecure` allows plain http (the
/// sandbox). Results come in the order Manage, Datto RMM, Asio.
pub async fn check_all(
    config: &VendorConfig,
    insecure: bool,
    settings: &CheckSettings,
) -> Vec<VendorCheck> {
    let manage = async {
        match &config.manage {
            Some(c) => Some(VendorCheck::of(
                Vendor::Manage,
                check_manage(c, insecure, settings).await,
            )),
            None => None,
        }
    };
    let datto = async {
        match &config.datto {
            Some(c) => Some(VendorCheck::of(
                Vendor::Datto,
                check_datto(c, insecure, settings).await,
            )),
            None => None,
        }
    };
    let asio = async {
        match &config.asio {
            Some(c) => Some(VendorCheck::of(
                Vendor::Asio,
                check_asio(c, insecure, settings).await,
            )),
            None => None,
        }
    };
    let (m, d, a) = futures::join!(manage, datto, asio);
    [m, d, a].into_iter().flatten().collect()
}

/// The sandbox's three accounts as a configuration (Asio with the write-back field, as the demo uses it).
pub fn sandbox_config(sandbox: &Sandbox) -> VendorConfig {
    let m = sandbox.manage_access();
    let d = sandbox.datto_access();
    let a = sandbox.asio_access();
    VendorConfig {
        manage: Some(ManageConfig {
            site: m.base_url,
            company_id: m.company_id,
            public_key: m.public_key,
            private_key: m.private_key.into(),
            client_id: m.client_id,
        }),
        datto: Some(DattoConfig {
            api_url: d.base_url,
            api_key: d.api_key,
            api_secret: d.api_secret.into(),
            psa_udf: datto_rmm_client::connector::DEFAULT_PSA_UDF,
        }),
        asio: Some(AsioConfig {
            base_url: Some(a.base_url),
            client_id: a.client_id,
            client_secret: a.client_secret.into(),
            psa_field: Some(SANDBOX_ASIO_PSA_FIELD.to_owned()),
        }),
    }
}

/// True when the transport failure is a TLS one (rustls reports these as plain text in the chain).
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string().to_ascii_lowercase();
        if ["certificate", "tls", "ssl", "handshake", "corrupt message"]
            .iter()
            .any(|w| text.contains(w))
        {
            return true;
        }
        next = e.source();
    }
    false
}

/// The reason of an HTTP failure no vendor rule explained.
fn http_reason(e: &HttpError) -> Reason {
    match e {
        HttpError::Timeout { .. } => Reason::Timeout,
        HttpError::Transport { source, .. } if is_tls(source) => Reason::Tls,
        HttpError::Transport { .. } => Reason::Unreachable,
        HttpError::InvalidRequest(_) => Reason::Configuration,
        HttpError::Api(api) => match api.status.as_u16() {
            401 => Reason::BadCredentials,
            403 => Reason::PermissionDenied,
            404 => Reason::WrongHost,
            423 => Reason::KeyLocked,
            429 => Reason::RateLimited,
            500..=599 => Reason::ServerError,
            _ if api.body_snippet.trim_start().starts_with('<') => Reason::WrongHost,
            _ => Reason::UnexpectedAnswer,
        },
        _ => Reason::UnexpectedAnswer,
    }
}

fn manage_client(
    cfg: &ManageConfig,
    insecure: bool,
    settings: &CheckSettings,
) -> Result<cw_manage_client::Client, cw_manage_client::Error> {
    let builder = cw_manage_client::Client::builder();
    let builder = if cfg.site.contains("://") {
        let url = cfg.site.parse().map_err(|e| {
            cw_manage_client::Error::Config(format!("bad site URL {:?}: {e}", cfg.site))
        })?;
        builder.base_url(url)
    } else {
        match cfg.site.parse::<cw_manage_client::Site>() {
            Ok(site) => builder.site(site),
            Err(never) => match never {},
        }
    };
    builder
        .company_id(&cfg.company_id)
        .public_key(&cfg.public_key)
        .private_key(cfg.private_key.clone())
        .client_id(&cfg.client_id)
        .allow_insecure_http(insecure)
        .timeout(settings.timeout)
        .retry_policy(settings.retry.clone())
        .build()
}

fn manage_reason(e: &cw_manage_client::Error) -> Reason {
    use cw_manage_client::{BodyKind, Error};
    match e {
        Error::Config(_) | Error::Condition(_) => return Reason::Configuration,
        Error::Discovery { source: None, .. } => return Reason::WrongHost,
        Error::Discovery {
            source: Some(s), ..
        } => {
            return match s.status().map(|c| c.as_u16()) {
                Some(404) => Reason::UnknownCompany,
                _ => match s.http() {
                    Some(HttpError::Decode(_)) => Reason::WrongHost,
                    Some(h) => http_reason(h),
                    None => Reason::UnexpectedAnswer,
                },
            };
        }
        _ => {}
    }
    let message = e.vendor_message().unwrap_or_default().to_ascii_lowercase();
    if e.vendor_code()
        .is_some_and(|c| c.eq_ignore_ascii_case("Security"))
        || message.contains("ssl is required")
        || e.body_kind() == Some(BodyKind::Html)
    {
        return Reason::WrongHost;
    }
    match e.status().map(|c| c.as_u16()) {
        Some(403) if message.contains("clientid") => Reason::InvalidClientId,
        Some(401) if message.contains("usernotauthenticated") => Reason::PermissionDenied,
        _ => e.http().map_or(Reason::UnexpectedAnswer, http_reason),
    }
}

/// The path after the host, when the site holds one (the seeds' first mistake: the API path pasted in).
fn site_path(site: &str) -> Option<&str> {
    let rest = site.split_once("://").map_or(site, |(_, r)| r);
    let path = rest.split_once('/')?.1.trim_matches('/');
    (!path.is_empty()).then_some(path)
}

/// Manage: codebase discovery (company id and site), `system/info` (keys and clientId), then a count of
/// companies and of configurations (the security role's read rights the integration needs).
async fn check_manage(
    cfg: &ManageConfig,
    insecure: bool,
    settings: &CheckSettings,
) -> Result<Vec<String>, Failure> {
    let fail = |e: cw_manage_client::Error| Failure::new(Vendor::Manage, manage_reason(&e), &e);
    if let Some(path) = site_path(&cfg.site) {
        let e = ConfigError {
            vendor: connect::MANAGE,
            problem: format!("CW_MANAGE_SITE holds the path {path:?}: give the site only"),
        };
        return Err(Failure::new(Vendor::Manage, Reason::WrongHost, &e));
    }
    let client = manage_client(cfg, insecure, settings).map_err(fail)?;
    let info = client.discover().await.map_err(fail)?;
    let system = client.system_info().await.map_err(fail)?;
    let query = cw_manage_client::conditions::Query::new();
    let companies = client.companies().count(&query).await.map_err(fail)?;
    let configurations = client.configurations().count(&query).await.map_err(fail)?;
    Ok(vec![
        format!(
            "company {:?} (company id {})",
            info.company_name.as_deref().unwrap_or("(unnamed)"),
            info.company_id.as_deref().unwrap_or(&cfg.company_id)
        ),
        format!(
            "codebase {}, version {}{}",
            client.current_codebase().unwrap_or_default(),
            system.version.as_deref().unwrap_or("unknown"),
            match system.is_cloud {
                Some(true) => ", cloud",
                Some(false) => ", on-premise",
                None => "",
            }
        ),
        "keys and clientId accepted (system/info)".to_owned(),
        format!("reads {companies} companies and {configurations} configurations"),
    ])
}

fn datto_reason(e: &datto_rmm_client::Error) -> Reason {
    use datto_rmm_client::Error;
    match e {
        Error::Auth(h) => match h.status() {
            Some(_) => Reason::BadCredentials,
            None => http_reason(h),
        },
        Error::IpBlocked { .. } => Reason::IpBlocked,
        Error::Http(h) => match h.status().map(|s| s.as_u16()) {
            // The client renewed its token once already: the API itself refuses this user.
            Some(401) => Reason::ApiAccessDisabled,
            // Datto's 403 is the IP block far more often than a permission (the account read needs none).
            Some(403) => Reason::IpBlocked,
            _ => http_reason(h),
        },
        _ => Reason::Configuration,
    }
}

/// Datto: a token for the key and secret, the account record (API access), the API's status (version).
async fn check_datto(
    cfg: &DattoConfig,
    insecure: bool,
    settings: &CheckSettings,
) -> Result<Vec<String>, Failure> {
    let fail = |e: datto_rmm_client::Error| Failure::new(Vendor::Datto, datto_reason(&e), &e);
    if !(1..=300).contains(&cfg.psa_udf) {
        let e = ConfigError {
            vendor: connect::DATTO,
            problem: format!("UDF {} does not exist (1 to 300)", cfg.psa_udf),
        };
        return Err(Failure::new(Vendor::Datto, Reason::WriteBackField, &e));
    }
    let client = datto_rmm_client::Client::builder()
        .base_url(&cfg.api_url)
        .api_key(&cfg.api_key)
        .api_secret(cfg.api_secret.clone())
        .allow_insecure_http(insecure)
        .timeout(settings.timeout)
        .retry_policy(settings.retry.clone())
        .ip_block_backoff(settings.datto_block_probe)
        .build()
        .map_err(fail)?;
    let account = client.account().get().await.map_err(fail)?;
    let status = client.system().status().await.map_err(fail)?;
    let devices = account
        .devices_status
        .as_ref()
        .and_then(|d| d.number_of_devices)
        .map_or_else(String::new, |n| format!(", {n} devices"));
    Ok(vec![
        format!(
            "account {:?} ({}){devices}",
            account.name.as_deref().unwrap_or("(unnamed)"),
            account
                .uid
                .as_ref()
                .map_or_else(|| "no uid".to_owned(), ToString::to_string)
        ),
        "API key and secret accepted, API access enabled".to_owned(),
        format!("write-back UDF {} is a UDF number (1-300)", cfg.psa_udf),
        format!(
            "API v2 at {}, version {}, status {}",
            client.api_base(),
            status.version.as_deref().unwrap_or("unknown"),
            status.status.as_deref().unwrap_or("unknown")
        ),
    ])
}

/// The scopes the integration asks for: the client's defaults, plus write-back's when a PSA field is set.
fn asio_scopes(cfg: &AsioConfig) -> Vec<&'static str> {
    let mut scopes: Vec<&'static str> = cw_asio_client::DEFAULT_SCOPES.to_vec();
    if cfg.psa_field.is_some() {
        scopes.extend(connect::ASIO_WRITE_BACK_SCOPES);
    }
    scopes
}

fn asio_reason(e: &cw_asio_client::Error) -> Reason {
    use cw_asio_client::Error;
    match e {
        Error::KeyLocked { .. } => Reason::KeyLocked,
        Error::Http(h) => {
            let says_scope = h.as_api().is_some_and(|api| {
                format!(
                    "{} {}",
                    api.code.as_deref().unwrap_or_default(),
                    api.message.as_deref().unwrap_or_default()
                )
                .to_ascii_lowercase()
                .contains("scope")
            });
            match h.status().map(|s| s.as_u16()) {
                Some(400 | 403) if says_scope => Reason::MissingScope,
                Some(403) => Reason::MissingScope,
                Some(400) => Reason::BadCredentials,
                _ => http_reason(h),
            }
        }
        _ => Reason::Configuration,
    }
}

/// Asio: a token for the client id, secret and every scope the integration uses, then the first page of
/// companies (the scopes work on the API, not only at the token endpoint).
async fn check_asio(
    cfg: &AsioConfig,
    insecure: bool,
    settings: &CheckSettings,
) -> Result<Vec<String>, Failure> {
    let fail = |e: cw_asio_client::Error| Failure::new(Vendor::Asio, asio_reason(&e), &e);
    let scopes = asio_scopes(cfg);
    let mut builder = cw_asio_client::Client::builder()
        .client_id(&cfg.client_id)
        .client_secret(cfg.client_secret.clone())
        .scopes(scopes.join(" "))
        .allow_insecure_http(insecure)
        .timeout(settings.timeout)
        .retry_policy(settings.retry.clone());
    // Without CW_ASIO_BASE_URL the region comes from the client id, or the build names what is missing.
    if let Some(url) = &cfg.base_url {
        builder = builder.base_url(url);
    } else if let Some(region) = cw_asio_client::Region::guess_from_client_id(&cfg.client_id) {
        builder = builder.region(region);
    }
    let client = builder.build().map_err(fail)?;
    client.check_credentials().await.map_err(fail)?;
    let page = client
        .companies()
        .list()
        .map_err(fail)?
        .limit(100)
        .send()
        .await
        .map_err(fail)?;
    let mut verified = vec![
        format!("API at {}", client.base_url()),
        format!(
            "client id and secret accepted with {} scopes{}",
            scopes.len(),
            if cfg.psa_field.is_some() {
                " (write-back included)"
            } else {
                ""
            }
        ),
        format!(
            "reads companies ({} on the first page{})",
            page.items.len(),
            if page.next.is_some() {
                ", more follow"
            } else {
                ""
            }
        ),
    ];
    if let Some(field) = &cfg.psa_field {
        verified.push(asio_field(&client, field).await?);
    }
    Ok(verified)
}

/// Finds the device custom field write-back fills, by name or id.
async fn asio_field(client: &cw_asio_client::Client, wanted: &str) -> Result<String, Failure> {
    let definitions = client
        .custom_fields()
        .definitions(Some(&cw_asio_client::model::EntityType::Device))
        .await
        .map_err(|e| Failure::new(Vendor::Asio, asio_reason(&e), &e))?;
    let found = definitions.iter().find_map(|d| {
        let id = d.id.as_ref()?;
        let named = d
            .name
            .as_deref()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted.trim()));
        (named || id.as_str() == wanted).then(|| id.as_str().to_owned())
    });
    match found {
        Some(id) => Ok(format!(
            "write-back device custom field {wanted:?} found (id {id})"
        )),
        None => {
            let e = ConfigError {
                vendor: connect::ASIO,
                problem: format!("no device custom field named {wanted:?}"),
            };
            Err(Failure::new(Vendor::Asio, Reason::WriteBackField, &e))
        }
    }
}

/// Command-line options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckArgs {
    /// Time allowed per request.
    pub timeout: Option<Duration>,
    /// JSON output.
    pub json: bool,
}

impl CheckArgs {
    /// Parses arguments; `Ok(None)` for `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Self>, String> {
        let mut out = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--json" => out.json = true,
                "--timeout" => {
                    let value = args.next().ok_or("--timeout needs a number of seconds")?;
                    let secs: u64 = value
                        .parse()
                        .ok()
                        .filter(|s| (1..=600).contains(s))
                        .ok_or_else(|| {
                            format!("--timeout wants 1 to 600 seconds, not {value:?}")
                        })?;
                    out.timeout = Some(Duration::from_secs(secs));
                }
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Some(out))
    }
}

/// Why `check-connection` could not run its checks at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The environment is incomplete.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// The sandbox could not start.
    #[error("sandbox: {0}")]
    Sandbox(#[from] SandboxError),
}

/// Runs `check-connection`: the configured vendors, or the sandbox when none is configured. Exit 0 only
/// when every check passed.
pub async fn run(args: &CheckArgs) -> Result<ExitCode, CheckError> {
    let mut settings = CheckSettings::default();
    if let Some(t) = args.timeout {
        settings.timeout = t;
    }
    let config = VendorConfig::from_env()?;
    let checks = if config.is_empty() {
        let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny())).await?;
        if !args.json {
            println!("no vendor configured: checking the embedded sandbox's fakes");
        }
        let checks = check_all(&sandbox_config(&sandbox), true, &settings).await;
        sandbox.shutdown().await;
        checks
    } else {
        check_all(&config, false, &settings).await
    };
    print_checks(&checks, args.json);
    Ok(exit_code(&checks))
}

fn print_checks(checks: &[VendorCheck], json: bool) {
    if json {
        match serde_json::to_string_pretty(checks) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("cannot print JSON: {e}"),
        }
        return;
    }
    for check in checks {
        print!("{check}");
    }
}

/// 0 when every check passed, 1 otherwise.
pub fn exit_code(checks: &[VendorCheck]) -> ExitCode {
    if checks.iter().all(|c| c.failure().is_none()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_and_bad_ones_are_refused() {
        let parse = |a: &[&str]| CheckArgs::parse(a.iter().map(|s| (*s).to_owned()));
        assert_eq!(parse(&[]).unwrap(), Some(CheckArgs::default()));
        let args = parse(&["--timeout", "5", "--json"]).unwrap().unwrap();
        assert_eq!(args.timeout, Some(Duration::from_secs(5)));
        assert!(args.json);
        assert_eq!(parse(&["-h"]).unwrap(), None);
        assert!(parse(&["--timeout"]).is_err());
        assert!(parse(&["--timeout", "0"]).unwrap_err().contains("1 to 600"));
        assert!(parse(&["--verbose"]).unwrap_err().contains("--verbose"));
    }

    #[test]
    fn every_reason_has_a_name_and_vendor_specific_advice() {
        assert_eq!(Reason::BadCredentials.to_string(), "bad-credentials");
        assert_eq!(Reason::IpBlocked.to_string(), "ip-blocked");
        assert!(advice(Vendor::Datto, Reason::WrongHost).contains("platform"));
        assert!(advice(Vendor::Manage, Reason::WrongHost).contains("base URL"));
        assert!(advice(Vendor::Asio, Reason::KeyLocked).contains("423"));
    }

    #[test]
    fn a_site_with_an_api_path_is_caught() {
        assert_eq!(
            site_path("https://na.myconnectwise.net/v4_6_release/apis/3.0/"),
            Some("v4_6_release/apis/3.0")
        );
        assert_eq!(
            site_path("na.myconnectwise.net/v2025_1/apis/3.0"),
            Some("v2025_1/apis/3.0")
        );
        assert_eq!(site_path("https://na.myconnectwise.net/"), None);
        assert_eq!(site_path("na.myconnectwise.net"), None);
        assert_eq!(site_path("http://127.0.0.1:8080"), None);
    }

    #[test]
    fn tls_failures_are_told_apart_from_refused_connections() {
        let tls = std::io::Error::other("invalid peer certificate: UnknownIssuer");
        assert!(is_tls(&tls));
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(!is_tls(&refused));
    }
}
