//! The client: builder, codebase discovery, request plumbing and the connection test.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use psa_rmm_core::http::{
    Auth, ExposeSecret, HttpCore, HttpError, RateLimiter, Request, Response, RetryPolicy,
    SecretString,
};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{BodyKind, Error, parse_error_body};
use crate::model::{CompanyInfo, SystemInfo};

/// The API version pinned in the `Accept` header unless the builder says otherwise.
pub const DEFAULT_API_VERSION: &str = "2025.1";
/// Manage's advice: stay well under ~1000 requests per minute per integration.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 600;
/// Longest URL sent as a GET; longer queries go to `POST .../search` (Manage's limit is 2000).
pub const MAX_URL_LEN: usize = 2000;

/// Where the Manage instance lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// North America cloud (`api-na.myconnectwise.net`).
    Na,
    /// Europe cloud (`api-eu.myconnectwise.net`).
    Eu,
    /// Australia cloud (`api-au.myconnectwise.net`).
    Au,
    /// Australia cloud, alternative host (`api-aus.myconnectwise.net`).
    Aus,
    /// ConnectWise staging (`api-staging.connectwisedev.com`).
    Staging,
    /// An on-premise server: its host name (`manage.example.com`).
    OnPremise(String),
}

impl Site {
    /// The API host.
    pub fn host(&self) -> &str {
        match self {
            Self::Na => "api-na.myconnectwise.net",
            Self::Eu => "api-eu.myconnectwise.net",
            Self::Au => "api-au.myconnectwise.net",
            Self::Aus => "api-aus.myconnectwise.net",
            Self::Staging => "api-staging.connectwisedev.com",
            Self::OnPremise(host) => host,
        }
    }

    fn root(&self) -> Result<Url, Error> {
        let host = self.host().trim().trim_end_matches('/');
        let host = host
            .strip_prefix("https://")
            .or_else(|| host.strip_prefix("http://"))
            .unwrap_or(host);
        if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
            return Err(Error::Config(format!(
                "{host:?} is not a host name; use base_url() for a full URL"
            )));
        }
        Url::parse(&format!("https://{host}/"))
            .map_err(|e| Error::Config(format!("bad host {host:?}: {e}")))
    }
}

impl std::str::FromStr for Site {
    type Err = std::convert::Infallible;

    /// `na`, `eu`, `au`, `aus`, `staging` (any case, UI hosts such as `na.myconnectwise.net` too);
    /// anything else is an on-premise host.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("api-").unwrap_or(&t);
        Ok(match t {
            "na" | "na.myconnectwise.net" => Self::Na,
            "eu" | "eu.myconnectwise.net" => Self::Eu,
            "au" | "au.myconnectwise.net" => Self::Au,
            "aus" | "aus.myconnectwise.net" => Self::Aus,
            "staging" | "staging.connectwisedev.com" => Self::Staging,
            _ => Self::OnPremise(s.trim().to_owned()),
        })
    }
}

/// Settings for a [`Client`]. `Debug` never shows the private key.
#[derive(Clone)]
pub struct ClientBuilder {
    site: Site,
    base_url: Option<Url>,
    company_id: Option<String>,
    public_key: Option<String>,
    private_key: Option<SecretString>,
    client_id: Option<String>,
    api_version: String,
    codebase: Option<String>,
    timeout: Duration,
    rate_limit: Option<RateLimiter>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    user_agent: String,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("site", &self.site)
            .field("base_url", &self.base_url.as_ref().map(Url::as_str))
            .field("company_id", &self.company_id)
            .field("public_key", &self.public_key)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "[REDACTED]"),
            )
            .field("client_id", &self.client_id)
            .field("api_version", &self.api_version)
            .field("codebase", &self.codebase)
            .field("timeout", &self.timeout)
            .field("rate_limit", &self.rate_limit)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            site: Site::Na,
            base_url: None,
            company_id: None,
            public_key: None,
            private_key: None,
            client_id: None,
            api_version: DEFAULT_API_VERSION.into(),
            codebase: None,
            timeout: Duration::from_secs(60),
            rate_limit: Some(RateLimiter::per_minute(DEFAULT_REQUESTS_PER_MINUTE)),
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            user_agent: concat!("psa-rmm-cw-manage/", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

impl ClientBuilder {
    /// Cloud region or on-premise host (default [`Site::Na`]).
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// Overrides the root URL under which `login/companyinfo/...` and `{codebase}apis/3.0/...` live
    /// (tests, the sandbox, reverse proxies).
    pub fn base_url(mut self, url: Url) -> Self {
        self.base_url = Some(url);
        self
    }

    /// The login company id (the company name used at login, not a number). Required.
    pub fn company_id(mut self, company: impl Into<String>) -> Self {
        self.company_id = Some(company.into());
        self
    }

    /// The API member's public key. Required.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The API member's private key. Required.
    pub fn private_key(mut self, key: SecretString) -> Self {
        self.private_key = Some(key);
        self
    }

    /// The integration's clientId from developer.connectwise.com. Required: Manage refuses calls without it.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The model version pinned in `Accept: application/vnd.connectwise.com+json; version=...`
    /// (`2025.1`, default [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Skips discovery and uses this codebase (`v4_6_release`, `v2025_1`).
    pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
        self.codebase = Some(codebase.into());
        self
    }

    /// Total timeout per attempt (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The request budget shared by clones (default [`DEFAULT_REQUESTS_PER_MINUTE`] per minute); `None`
    /// disables client-side pacing.
    pub fn rate_limit(mut self, limiter: Option<RateLimiter>) -> Self {
        self.rate_limit = limiter;
        self
    }

    /// Retry policy (default: the runtime's).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Allows `http://` base URLs (tests and the sandbox only).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// User agent.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Checks the settings and builds the client (no network call: the codebase is discovered on first use).
    pub fn build(self) -> Result<Client, Error> {
        let need = |v: Option<String>, what: &str| -> Result<String, Error> {
            v.map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| Error::Config(format!("{what} is required")))
        };
        let company = need(self.company_id, "company_id")?;
        let public = need(self.public_key, "public_key")?;
        let client_id = need(self.client_id, "client_id (from developer.connectwise.com)")?;
        let key = self
            .private_key
            .filter(|k| !k.expose_secret().trim().is_empty())
            .ok_or_else(|| Error::Config("private_key is required".into()))?;
        if company.contains(['+', ':', '/']) || public.contains(':') {
            return Err(Error::Config(
                "company_id may not contain '+', ':' or '/', nor public_key ':'".into(),
            ));
        }
        let version = self.api_version.trim();
        if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(Error::Config(format!(
                "api_version {version:?} is not a version such as 2025.1"
            )));
        }
        let accept = HeaderValue::from_str(&format!(
            "application/vnd.connectwise.com+json; version={version}"
        ))
        .map_err(|_| Error::Config("api_version is not a valid header value".into()))?;
        let client_id_value = HeaderValue::from_str(&client_id)
            .map_err(|_| Error::Config("client_id is not a valid header value".into()))?;
        let codebase = self
            .codebase
            .map(|c| {
                CompanyInfo {
                    codebase: Some(c),
                    ..CompanyInfo::default()
                }
                .codebase_segment()
                .ok_or_else(|| Error::Config("codebase must look like v2025_1".into()))
            })
            .transpose()?;
        let mut root = match self.base_url {
            Some(u) => u,
            None => self.site.root()?,
        };
        if !root.path().ends_with('/') {
            let p = format!("{}/", root.path());
            root.set_path(&p);
        }
        root.set_query(None);
        root.set_fragment(None);
        let mut http = HttpCore::builder(root.clone())
            .timeout(self.timeout)
            .retry_policy(self.retry)
            .user_agent(self.user_agent)
            .default_header(ACCEPT, accept)
            .default_header(HeaderName::from_static("clientid"), client_id_value)
            .redact(&key)
            .error_parser(parse_error_body)
            .allow_insecure_http(self.allow_insecure_http);
        if let Some(l) = self.rate_limit {
            http = http.rate_limiter(l);
        }
        let http = http.build()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                root,
                user: format!("{company}+{public}"),
                company,
                key,
                fixed_codebase: codebase.is_some(),
                codebase: RwLock::new(codebase),
                server_version: RwLock::new(None),
            }),
        })
    }
}

/// A ConnectWise Manage client. Cheap to clone; clones share connections, rate budget and codebase.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: HttpCore,
    root: Url,
    company: String,
    user: String,
    key: SecretString,
    codebase: RwLock<Option<String>>,
    fixed_codebase: bool,
    /// Last `api-current-version` header seen, for diagnostics.
    server_version: RwLock<Option<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("root", &self.inner.root.as_str())
            .field("user", &self.inner.user)
            .field("private_key", &"[REDACTED]")
            .field("codebase", &self.current_codebase())
            .finish_non_exhaustive()
    }
}

/// One API call before it is bound to the current codebase.
pub(crate) struct Call {
    pub method: Method,
    /// Path template for tracing (`/company/companies/{id}`).
    pub template: std::borrow::Cow<'static, str>,
    /// Path under `apis/3.0` (`/company/companies/5`).
    pub path: String,
    /// Unencoded query pairs.
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub idempotent: Option<bool>,
    /// A single record: a 404 with Manage's `NotFound` body means the record is missing, not that the
    /// codebase moved.
    pub item: bool,
}

impl Call {
    pub(crate) fn new(
        method: Method,
        template: impl Into<std::borrow::Cow<'static, str>>,
        path: String,
    ) -> Self {
        Self {
            method,
            template: template.into(),
            path,
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
            idempotent: None,
            item: false,
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so `+`, `&`, `%`, `*`, quotes and
/// brackets in conditions arrive as sent.
pub(crate) fn encode_query(pairs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(k, &mut out);
        out.push('=');
        push_encoded(v, &mut out);
    }
    out
}

fn push_encoded(s: &str, out: &mut String) {
    use std::fmt::Write as _;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The shared HTTP runtime (for advanced use: custom endpoints).
    pub fn http(&self) -> &HttpCore {
        &self.inner.http
    }

    /// The codebase in use, when known (`v2025_1/`).
    pub fn current_codebase(&self) -> Option<String> {
        self.inner
            .codebase
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The server's API version from the last `api-current-version` response header, for diagnostics
    /// (what the version pin should be raised to when an endpoint rejects it).
    pub fn server_api_version(&self) -> Option<String> {
        self.inner
            .server_version
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn note_server_version(&self, resp: &Response) {
        let Some(v) = resp
            .headers()
            .get("api-current-version")
            .and_then(|v| v.to_str().ok())
        else {
            return;
        };
        let mut slot = self
            .inner
            .server_version
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.as_deref() != Some(v) {
            *slot = Some(v.to_owned());
        }
    }

    /// `GET login/companyinfo/{company}` (unauthenticated): finds the codebase and remembers it.
    pub async fn discover(&self) -> Result<CompanyInfo, Error> {
        let fail = |reason: String, source: Option<Error>| Error::Discovery {
            company: self.inner.company.clone(),
            reason,
            source: source.map(Box::new),
        };
        let mut url = self
            .inner
            .root
            .join("login/companyinfo/")
            .map_err(|e| fail(e.to_string(), None))?;
        url.path_segments_mut()
            .map_err(|()| fail("the base URL cannot hold a path".into(), None))?
            .pop_if_empty()
            .push(&self.inner.company);
        let resp = self
            .inner
            .http
            .send(Request::get("/login/companyinfo/{company}", url))
            .await
            .map_err(|e| {
                let hint = match e.status() {
                    Some(StatusCode::NOT_FOUND) => {
                        "no company with this id on this site: check the company id and the site"
                    }
                    Some(_) => "the site answered with an error: check the site or base URL",
                    None => {
                        "the site could not be reached: check the site or base URL and the network"
                    }
                };
                fail(hint.into(), Some(Error::Http(e)))
            })?;
        let info: CompanyInfo = resp.json().map_err(|e| {
            fail(
                "the answer is not a companyinfo document (wrong host?)".into(),
                Some(Error::Http(e)),
            )
        })?;
        let codebase = info.codebase_segment().ok_or_else(|| {
            fail(
                "the answer names no codebase: check the company id (the login company name)"
                    .into(),
                None,
            )
        })?;
        *self
            .inner
            .codebase
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(codebase);
        Ok(info)
    }

    async fn codebase(&self) -> Result<String, Error> {
        if let Some(c) = self.current_codebase() {
            return Ok(c);
        }
        self.discover().await?;
        self.current_codebase().ok_or_else(|| Error::Discovery {
            company: self.inner.company.clone(),
            reason: "no codebase after discovery".into(),
            source: None,
        })
    }

    fn url_for(&self, codebase: &str, call: &Call) -> Result<Url, Error> {
        let path = call.path.trim_start_matches('/');
        let mut url = self
            .inner
            .root
            .join(&format!("{codebase}apis/3.0/{path}"))
            .map_err(|e| Error::Config(format!("bad request path {path:?}: {e}")))?;
        if !call.query.is_empty() {
            url.set_query(Some(&encode_query(&call.query)));
        }
        Ok(url)
    }

    /// The URL a call would use now (for the search fallback's length check).
    pub(crate) async fn url_of(&self, call: &Call) -> Result<Url, Error> {
        let codebase = self.codebase().await?;
        self.url_for(&codebase, call)
    }

    fn request(&self, call: &Call, url: Url) -> Request {
        let mut req = Request::new(call.method.clone(), call.template.clone(), url)
            .auth(Auth::Basic(self.inner.user.clone(), self.inner.key.clone()));
        for (k, v) in &call.headers {
            req = req.header(k.clone(), v.clone());
        }
        if let Some(body) = &call.body {
            req = req.body(body.clone(), HeaderValue::from_static("application/json"));
        }
        if let Some(i) = call.idempotent {
            req = req.idempotent(i);
        }
        req
    }

    /// Sends a call on the current codebase; after an unexpected 404 re-discovers the codebase once and,
    /// when it changed (a cloud upgrade), sends again.
    pub(crate) async fn execute(&self, call: Call) -> Result<Response, Error> {
        let codebase = self.codebase().await?;
        let url = self.url_for(&codebase, &call)?;
        let resp = match self.inner.http.send(self.request(&call, url)).await {
            Ok(r) => r,
            Err(e) if self.codebase_may_have_moved(&call, &e) => {
                tracing::debug!("404 from Manage: checking whether the codebase changed");
                match self.discover().await {
                    Ok(_) => {}
                    Err(_) => return Err(Error::Http(e)),
                }
                let fresh = self.codebase().await?;
                if fresh == codebase {
                    return Err(Error::Http(e));
                }
                tracing::info!(old = %codebase, new = %fresh, "Manage codebase changed; retrying");
                let url = self.url_for(&fresh, &call)?;
                self.inner.http.send(self.request(&call, url)).await?
            }
            Err(e) => return Err(Error::Http(e)),
        };
        self.note_server_version(&resp);
        Ok(resp)
    }

    fn codebase_may_have_moved(&self, call: &Call, e: &HttpError) -> bool {
        if self.inner.fixed_codebase || e.status() != Some(StatusCode::NOT_FOUND) {
            return false;
        }
        let code = e.as_api().and_then(|a| a.code.as_deref());
        // A record-level NotFound proves the codebase answers; anything else (HTML, "endpoint does not
        // exist", no body) on any path, or any 404 on a collection, may be a moved codebase.
        !(call.item && code == Some("NotFound"))
    }

    /// Sends and decodes JSON; a decode failure names the JSON path.
    pub(crate) async fn execute_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let resp = self.execute(call).await?;
        decode(&resp)
    }

    /// `GET /system/info`.
    pub async fn system_info(&self) -> Result<SystemInfo, Error> {
        self.execute_json(Call::new(
            Method::GET,
            "/system/info",
            "/system/info".into(),
        ))
        .await
    }

    /// The connection test: discovery, then `system/info`, with an error that says what to check.
    pub async fn test_connection(&self) -> Result<SystemInfo, Error> {
        self.system_info().await.map_err(|e| Error::Connection {
            hint: connection_hint(&e),
            source: Box::new(e),
        })
    }
}

/// Fast decode; on failure, decode again through serde_path_to_error for an error naming the field.
pub(crate) fn decode<T: DeserializeOwned>(resp: &Response) -> Result<T, Error> {
    match serde_json::from_slice(resp.body()) {
        Ok(v) => Ok(v),
        Err(_) => Ok(resp.json()?),
    }
}

/// What to check, from how a connection attempt failed (the seeds' troubleshooting tables).
pub fn connection_hint(e: &Error) -> String {
    if let Error::Discovery { reason, .. } = e {
        return format!("codebase discovery failed: {reason}");
    }
    if let Error::Config(m) = e {
        return m.clone();
    }
    let code = e.vendor_code().unwrap_or_default();
    let message = e.vendor_message().unwrap_or_default();
    if code.eq_ignore_ascii_case("Security") || message.contains("SSL is required") {
        return "Manage requires HTTPS: use the https:// api- host of your region".into();
    }
    if message.contains("UserNotAuthenticated") {
        return "the keys were read but the member is not allowed to use the API: check the API member \
                and its security role"
            .into();
    }
    if e.body_kind() == Some(BodyKind::Html) {
        return "the host answered a web page, not the API: use the api- host of your region \
                (api-na / api-eu / api-au .myconnectwise.net) or your on-premise API host"
            .into();
    }
    match e.status().map(|s| s.as_u16()) {
        Some(401) => "Manage refused the credentials: check the company id, public key and private key \
                      (an API member's keys; sent as Basic company+public:private)"
            .into(),
        Some(403) => "the API member's security role lacks rights for system/info, or the clientId is not \
                      accepted: check the role (System > Security Roles) and the clientId"
            .into(),
        Some(404) => "the API was not found: check the site (cloud needs the api- host) and the codebase"
            .into(),
        Some(429) => format!(
            "Manage is rate limiting this integration: wait {} and try again",
            e.retry_after()
                .map_or_else(|| "a minute".to_owned(), |d| format!("{} s", d.as_secs()))
        ),
        Some(s) if s >= 500 => "Manage had a server error: try again later".into(),
        Some(s) => format!("Manage answered HTTP {s}: {message}"),
        None => match e.http() {
            Some(HttpError::Timeout { .. }) => {
                "the server did not answer in time: check the network or raise the timeout".into()
            }
            Some(HttpError::Transport { .. }) => {
                "the server could not be reached: check the site or host, DNS, proxy and firewall".into()
            }
            Some(HttpError::Decode(_)) => {
                "the answer was not what this client expects: check the API version pin and the host".into()
            }
            _ => e.to_string(),
        },
    }
}
