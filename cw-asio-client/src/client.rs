//! [`Client`] and its builder.

use crate::auth::AsioAuth;
use crate::error::{Error, Result};
use crate::model::{ErrorBody, RateLimits};
use crate::resources::{Companies, CustomFields, DeviceGroups, Devices, Sites, Tickets};
use psa_rmm_core::http::{
    Auth, HttpCore, RateLimiter, Request, Response, RetryPolicy, SecretString,
};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use url::Url;

/// Scopes the default client asks for: what an integration that syncs companies, sites and devices and
/// raises tickets needs (agent, assets, companies, custom-field values, data mapping, device groups, devices,
/// sites read; tickets create, read, update).
pub const DEFAULT_SCOPES: &[&str] = &[
    "platform.agent.read",
    "platform.asset.read",
    "platform.companies.read",
    "platform.custom_fields_values.read",
    "platform.dataMapping.read",
    "platform.deviceGroups.read",
    "platform.devices.read",
    "platform.sites.read",
    "platform.tickets.create",
    "platform.tickets.read",
    "platform.tickets.update",
];

/// The ConnectWise region a partner lives in. There is no discovery: the client must be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// North America: `openapi.service.itsupport247.net`.
    Na,
    /// Europe: `openapi.service.euplatform.connectwise.com`.
    Eu,
    /// Australia: `openapi.service.auplatform.connectwise.com`.
    Au,
}

impl Region {
    /// The production base URL of the region.
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Na => "https://openapi.service.itsupport247.net",
            Self::Eu => "https://openapi.service.euplatform.connectwise.com",
            Self::Au => "https://openapi.service.auplatform.connectwise.com",
        }
    }

    /// A guess from the client id's first four characters (`0e30` NA, `0e31` EU, `0e32` AU). Third-party
    /// observation, not confirmed by ConnectWise: use only as a default that configuration overrides.
    pub fn guess_from_client_id(client_id: &str) -> Option<Self> {
        let prefix = client_id.get(..4)?.to_ascii_lowercase();
        match prefix.as_str() {
            "0e30" => Some(Self::Na),
            "0e31" => Some(Self::Eu),
            "0e32" => Some(Self::Au),
            _ => None,
        }
    }
}

/// Builds a [`Client`]. Region (or base URL), client id and client secret are required.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    region: Option<Region>,
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    scopes: Option<String>,
    allow_insecure_http: bool,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    limiter: Option<RateLimiter>,
    http_client: Option<reqwest::Client>,
    heartbeat_resource_type: Option<String>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("scopes", &self.scopes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The partner's region.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// A base URL instead of a region (QA, a proxy, the sandbox). Wins over [`region`](Self::region).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// OAuth client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// OAuth client secret.
    pub fn client_secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Space-separated scope ids to request instead of [`DEFAULT_SCOPES`]. A scope the key was not granted
    /// makes the token request fail.
    pub fn scopes(mut self, scopes: impl Into<String>) -> Self {
        self.scopes = Some(scopes.into());
        self
    }

    /// Allow `http://` base URLs (local fakes in tests only).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The heartbeat `resourceType` to try first (it changed twice on a live tenant); the known spellings
    /// (`companies`, `endpoints`, `clients`) are still tried after it on a 400 or 403.
    pub fn heartbeat_resource_type(mut self, resource_type: impl Into<String>) -> Self {
        self.heartbeat_resource_type = Some(resource_type.into());
        self
    }

    /// The `User-Agent` (default `psa-rmm-cw-asio-client/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Retry policy (default: the runtime's).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Timeout of one attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A client-side request budget, shared with other clients of the same key by cloning it.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Use this reqwest client (shares its connection pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client. Nothing is sent yet.
    pub fn build(self) -> Result<Client> {
        let base = match (&self.base_url, self.region) {
            (Some(url), _) => url.clone(),
            (None, Some(region)) => region.base_url().to_owned(),
            (None, None) => return Err(Error::Config("a region or a base URL is required".into())),
        };
        let base = Url::parse(&base).map_err(|e| Error::Config(format!("bad base URL: {e}")))?;
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::Config("a client id is required".into()))?;
        let secret = self
            .client_secret
            .ok_or_else(|| Error::Config("a client secret is required".into()))?;
        let scope = match self.scopes {
            Some(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
            None => DEFAULT_SCOPES.join(" "),
        };
        if scope.is_empty() {
            return Err(Error::Config("at least one scope is required".into()));
        }
        let mut config = HttpCore::builder(base)
            .user_agent(self.user_agent.unwrap_or_else(|| {
                concat!("psa-rmm-cw-asio-client/", env!("CARGO_PKG_VERSION")).into()
            }))
            .allow_insecure_http(self.allow_insecure_http)
            .redact(&secret)
            .error_parser(|body| {
                let b = ErrorBody::parse(body);
                (b.code, b.message)
            })
            .throttle_wait(crate::throttle::reset_wait);
        if let Some(retry) = self.retry {
            config = config.retry_policy(retry);
        }
        if let Some(timeout) = self.timeout {
            config = config.timeout(timeout);
        }
        if let Some(limiter) = self.limiter {
            config = config.rate_limiter(limiter);
        }
        if let Some(client) = self.http_client {
            config = config.client(client);
        }
        let http = config.build()?;
        let auth = Arc::new(AsioAuth::new(http.clone(), client_id, secret, scope));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth,
                get_with_body: AtomicBool::new(false),
                heartbeat_styles: heartbeat_styles(self.heartbeat_resource_type.as_deref()),
                heartbeat_style: AtomicUsize::new(0),
            }),
        })
    }
}

/// Heartbeat `resourceType` spellings, most likely first.
const HEARTBEAT_STYLES: [&str; 3] = ["companies", "endpoints", "clients"];

/// The configured spelling (when not blank) first, then the known ones without repeating it.
fn heartbeat_styles(configured: Option<&str>) -> Vec<String> {
    let configured = configured.map(str::trim).filter(|c| !c.is_empty());
    configured
        .into_iter()
        .chain(
            HEARTBEAT_STYLES
                .into_iter()
                .filter(|s| Some(*s) != configured),
        )
        .map(str::to_owned)
        .collect()
}

/// A ConnectWise Asio API client. Cheap to clone (clones share the token cache, the connection pool and
/// the rate budget); `Send + Sync`.
///
/// Resource groups: [`companies`](Self::companies), [`sites`](Self::sites), [`devices`](Self::devices),
/// [`device_groups`](Self::device_groups), [`custom_fields`](Self::custom_fields),
/// [`tickets`](Self::tickets), and [`rate_limits`](Self::rate_limits).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpCore,
    auth: Arc<AsioAuth>,
    /// Set once the tenant refused POST on the v2 device list (some tenants want GET with a body).
    get_with_body: AtomicBool,
    /// Heartbeat `resourceType` spellings, in the order to try them.
    heartbeat_styles: Vec<String>,
    /// Index into `heartbeat_styles` of the one this tenant last accepted.
    heartbeat_style: AtomicUsize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.http.base_url().as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &Url {
        self.inner.http.base_url()
    }

    /// Companies.
    pub fn companies(&self) -> Companies {
        Companies::new(self.clone())
    }

    /// Sites.
    pub fn sites(&self) -> Sites {
        Sites::new(self.clone())
    }

    /// Devices (endpoints), v2 and legacy v1.
    pub fn devices(&self) -> Devices {
        Devices::new(self.clone())
    }

    /// Device groups and membership.
    pub fn device_groups(&self) -> DeviceGroups {
        DeviceGroups::new(self.clone())
    }

    /// Custom-field definitions and values.
    pub fn custom_fields(&self) -> CustomFields {
        CustomFields::new(self.clone())
    }

    /// Tickets, notes and lookup tables.
    pub fn tickets(&self) -> Tickets {
        Tickets::new(self.clone())
    }

    /// `GET /v1/rate_limits`: the current counters of every bucket (costs one request itself).
    pub async fn rate_limits(&self) -> Result<RateLimits> {
        self.get_json(
            "/v1/rate_limits",
            self.url_segments("/v1/rate_limits", &[])?,
        )
        .await
    }

    /// Fetches a token (or reuses the cached one): the "Test Connection" of integration setups.
    pub async fn check_credentials(&self) -> Result<()> {
        self.inner.auth.token().await?;
        Ok(())
    }

    /// Tokens this client (and its clones) requested so far.
    pub fn tokens_requested(&self) -> u64 {
        self.inner.auth.minted()
    }

    /// `path`, then `parts`: ids escaped as one segment each, fixed parts as they are.
    pub(crate) fn url_segments(&self, path: &str, parts: &[Part<'_>]) -> Result<Url> {
        for part in parts {
            if let Part::Id(id) = part {
                psa_rmm_core::http::path_segment(id)?;
            }
        }
        let mut url = self.inner.http.endpoint(path)?;
        {
            let mut segs = url
                .path_segments_mut()
                .map_err(|()| Error::Config("the base URL cannot have paths appended".into()))?;
            for part in parts {
                match part {
                    Part::Id(id) => {
                        segs.push(id);
                    }
                    Part::Fixed(fixed) => {
                        segs.extend(fixed.split('/').filter(|s| !s.is_empty()));
                    }
                }
            }
        }
        Ok(url)
    }

    pub(crate) fn authed(&self, req: Request) -> Request {
        req.auth(Auth::Bearer(self.inner.auth.clone()))
    }

    pub(crate) async fn send(&self, req: Request) -> Result<Response> {
        Ok(self.inner.http.send(self.authed(req)).await?)
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        template: &'static str,
        url: Url,
    ) -> Result<T> {
        decode(&self.send(Request::get(template, url)).await?)
    }

    /// Whether the v2 device list is to be sent as GET with a body.
    pub(crate) fn device_list_uses_get(&self) -> bool {
        self.inner.get_with_body.load(Ordering::Relaxed)
    }

    pub(crate) fn remember_device_list_get(&self) {
        self.inner.get_with_body.store(true, Ordering::Relaxed);
    }

    pub(crate) fn heartbeat_styles(&self) -> &[String] {
        &self.inner.heartbeat_styles
    }

    pub(crate) fn heartbeat_style(&self) -> usize {
        self.inner.heartbeat_style.load(Ordering::Relaxed)
    }

    pub(crate) fn remember_heartbeat_style(&self, index: usize) {
        self.inner.heartbeat_style.store(index, Ordering::Relaxed);
    }

    /// Whether `url` points at the API's own origin (a `Link` elsewhere would receive the bearer token).
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.base_url().origin()
    }
}

/// A piece of a URL path.
pub(crate) enum Part<'a> {
    /// An id, escaped as one segment.
    Id(&'a str),
    /// Fixed segments, `/`-separated.
    Fixed(&'static str),
}

/// Decodes a JSON body (the failing field's JSON path ends up in the error).
pub(crate) fn decode<T: DeserializeOwned>(resp: &Response) -> Result<T> {
    Ok(resp.json()?)
}

/// Decodes a JSON body, treating `null` and a 204 No Content as the default value. An empty 200 is a
/// decode error: read as an empty list it would silently drop every record of a scan.
pub(crate) fn decode_or_default<T: DeserializeOwned + Default>(resp: &Response) -> Result<T> {
    let trimmed = resp.body().trim_ascii();
    if trimmed == b"null" || (trimmed.is_empty() && resp.status() == StatusCode::NO_CONTENT) {
        return Ok(T::default());
    }
    decode(resp)
}
