//! [`Client`] and its builder: platform or base URL, credentials, budgets; every call goes through
//! [`Client::call`], which authenticates, paces, retries and recognises the IP block.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use psa_rmm_core::http::{
    ExposeSecret, HttpCore, HttpError, Request, Response, RetryDecision, RetryPolicy, SecretString,
    retry_decision,
};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;
use url::Url;

use crate::auth::Tokens;
use crate::budget::{Budget, Budgets, Limiters};
use crate::error::{Error, Result};
use crate::flights::Flights;
use crate::pacer::Permit;

/// How long a 429 counts as "recent" when classifying a later 403 as the IP block.
const THROTTLE_MEMORY: Duration = Duration::from_secs(600);
/// How long a 403 waits for concurrent answers (a 429 among them makes it the IP block).
const SETTLE_CAP: Duration = Duration::from_secs(2);

/// The six Datto RMM platforms; each has its own API host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// `pinotage-api.centrastage.net`.
    Pinotage,
    /// `merlot-api.centrastage.net`.
    Merlot,
    /// `concord-api.centrastage.net`.
    Concord,
    /// `vidal-api.centrastage.net`.
    Vidal,
    /// `zinfandel-api.centrastage.net`.
    Zinfandel,
    /// `syrah-api.centrastage.net`.
    Syrah,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Self; 6] = [
        Self::Pinotage,
        Self::Merlot,
        Self::Concord,
        Self::Vidal,
        Self::Zinfandel,
        Self::Syrah,
    ];

    /// Lower-case platform name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pinotage => "pinotage",
            Self::Merlot => "merlot",
            Self::Concord => "concord",
            Self::Vidal => "vidal",
            Self::Zinfandel => "zinfandel",
            Self::Syrah => "syrah",
        }
    }

    /// The API host origin, e.g. `https://pinotage-api.centrastage.net`.
    pub fn origin(self) -> String {
        format!("https://{}-api.centrastage.net", self.name())
    }
}

impl FromStr for Platform {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let key = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.name() == key)
            .ok_or_else(|| Error::Config(format!("unknown Datto platform {s:?}")))
    }
}

/// Counters of what a client has sent, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    reads: AtomicU64,
    writes: AtomicU64,
    pub(crate) token_requests: AtomicU64,
    throttled: AtomicU64,
    ip_blocks: AtomicU64,
}

/// A snapshot of [`Client::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Read attempts sent (retries included).
    pub reads: u64,
    /// Write attempts sent (retries included).
    pub writes: u64,
    /// Token requests sent.
    pub token_requests: u64,
    /// 429 answers received.
    pub throttled: u64,
    /// 403 answers classified as the IP block.
    pub ip_blocks: u64,
}

#[derive(Debug, Default)]
struct Pause {
    last_throttled: Option<Instant>,
    until: Option<Instant>,
}

struct Inner {
    api: HttpCore,
    tokens: Tokens,
    limiters: Mutex<Limiters>,
    budgets: Mutex<Budgets>,
    retry: RetryPolicy,
    page_size: AtomicU32,
    ip_block_backoff: Duration,
    pause: Mutex<Pause>,
    counters: Arc<Counters>,
    flights: Flights,
}

/// A Datto RMM API v2 client for one account. Cheap to clone; clones share the token, the budgets and the
/// IP-block pause.
///
/// ```no_run
/// # async fn demo() -> Result<(), datto_rmm_client::Error> {
/// use datto_rmm_client::{Client, Platform};
/// use futures::TryStreamExt;
/// let client = Client::builder()
///     .platform(Platform::Pinotage)
///     .api_key("KEY")
///     .api_secret("SECRET")
///     .build()?;
/// let sites = client.account().sites().all().await?;
/// let devices = client.site(sites[0].uid.clone().unwrap_or_default()).devices().stream();
/// let mut devices = std::pin::pin!(devices);
/// while let Some(device) = devices.try_next().await? {
///     println!("{:?}", device.hostname);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.api)
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

/// Whether a call reads or writes, and which write bucket it draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Read,
    Write(&'static str),
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API base (`{origin}/api`).
    pub fn api_base(&self) -> &Url {
        self.inner.api.base_url()
    }

    /// What this client (and its clones) has sent so far.
    pub fn stats(&self) -> ClientStats {
        let c = &self.inner.counters;
        ClientStats {
            reads: c.reads.load(Ordering::Relaxed),
            writes: c.writes.load(Ordering::Relaxed),
            token_requests: c.token_requests.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            ip_blocks: c.ip_blocks.load(Ordering::Relaxed),
        }
    }

    /// Page size used by list calls (250 unless changed by [`Client::sync_page_size`] or the builder).
    pub fn page_size(&self) -> u32 {
        self.inner.page_size.load(Ordering::Relaxed)
    }

    pub(crate) fn set_page_size(&self, size: u32) {
        self.inner.page_size.store(size.max(1), Ordering::Relaxed);
    }

    /// The budgets currently paced to.
    pub fn budgets(&self) -> Budgets {
        lock(&self.inner.budgets).clone()
    }

    /// Replaces the budgets (e.g. after another tool started sharing the account). In-flight waits keep
    /// their old limiter; new calls use the new one.
    pub fn set_budgets(&self, budgets: Budgets) {
        *lock(&self.inner.limiters) = Limiters::new(&budgets);
        *lock(&self.inner.budgets) = budgets;
    }

    /// `/api/v2/...` with `segments` appended (each percent-encoded) and `query` set.
    pub(crate) fn url(&self, segments: &[&str], query: &[(String, String)]) -> Result<Url> {
        for segment in segments {
            psa_rmm_core::http::path_segment(segment)?;
        }
        let mut url = self.inner.api.base_url().clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config("the base URL cannot take a path".into()))?
            .pop_if_empty()
            .push("v2")
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// GET `url` and decode its JSON body.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        template: &'static str,
        url: Url,
    ) -> Result<T> {
        Ok(self
            .call(Method::GET, template, url, None, Op::Read)
            .await?
            .json()?)
    }

    /// Sends one logical call: waits out a pause or IP block, authenticates, paces against the read or
    /// write budgets, retries by the runtime's [`retry_decision`], renews the token once on 401, and turns
    /// a 403 after throttling into one long back-off, one probe, then [`Error::IpBlocked`].
    pub(crate) async fn call(
        &self,
        method: Method,
        template: &'static str,
        url: Url,
        body: Option<Vec<u8>>,
        op: Op,
    ) -> Result<Response> {
        let start = Instant::now();
        let mut attempt = 0u32;
        let mut renewed = false;
        let mut probed = false;
        loop {
            self.wait_pause().await;
            let permits = self.take_turn(op).await;
            let token = self.inner.tokens.get(self).await?;
            let req = self.request(&method, template, &url, body.as_ref(), op, &token)?;
            self.count(op);
            attempt += 1;
            let flight = self.inner.flights.start();
            let sent = self.inner.api.send(req).await;
            // The answer is in: the request reached the server before now, whenever that was.
            drop(permits);
            let error = match sent {
                Ok(resp) => return Ok(resp),
                Err(e) => e,
            };
            let status = error.status();
            if status == Some(StatusCode::UNAUTHORIZED) && !renewed {
                renewed = true;
                self.inner.tokens.invalidate_if_current(&token).await;
                continue;
            }
            if status == Some(StatusCode::TOO_MANY_REQUESTS) {
                self.inner
                    .counters
                    .throttled
                    .fetch_add(1, Ordering::Relaxed);
                lock(&self.inner.pause).last_throttled = Some(Instant::now());
            }
            drop(flight);
            if status == Some(StatusCode::FORBIDDEN) && !self.is_ip_block(&error) {
                self.inner.flights.settle(SETTLE_CAP).await;
            }
            if status == Some(StatusCode::FORBIDDEN) && self.is_ip_block(&error) {
                self.inner
                    .counters
                    .ip_blocks
                    .fetch_add(1, Ordering::Relaxed);
                let backoff = self.inner.ip_block_backoff;
                self.pause_for(backoff);
                if probed {
                    return Err(Error::IpBlocked {
                        retry_after: backoff,
                        source: error,
                    });
                }
                tracing::warn!(
                    backoff_s = backoff.as_secs(),
                    "Datto answered 403 after throttling: IP block, backing off"
                );
                probed = true;
                continue;
            }
            let Some(outcome) = error.retry_outcome() else {
                return Err(error.into());
            };
            let idempotent = match op {
                Op::Read => true,
                Op::Write(key) => crate::budget::op::is_repeatable(key),
            };
            let method_for_policy = if idempotent {
                Method::GET
            } else {
                Method::POST
            };
            match retry_decision(
                &method_for_policy,
                &outcome,
                attempt,
                start.elapsed(),
                &self.inner.retry,
            ) {
                RetryDecision::Retry(delay) => {
                    if status == Some(StatusCode::TOO_MANY_REQUESTS) {
                        // The whole account is over budget: hold every request back, not only this one.
                        self.pause_for(delay);
                    } else {
                        tokio::time::sleep(delay).await;
                    }
                }
                RetryDecision::Stop => return Err(error.into()),
            }
        }
    }

    fn request(
        &self,
        method: &Method,
        template: &'static str,
        url: &Url,
        body: Option<&Vec<u8>>,
        op: Op,
        token: &SecretString,
    ) -> Result<Request> {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .map_err(|_| Error::Config("the access token is not a valid header value".into()))?;
        bearer.set_sensitive(true);
        let mut req = Request::new(method.clone(), template, url.clone())
            .header(AUTHORIZATION, bearer)
            .idempotent(match op {
                Op::Read => true,
                Op::Write(key) => crate::budget::op::is_repeatable(key),
            });
        if let Some(body) = body {
            req = req.body(body.clone(), HeaderValue::from_static("application/json"));
        }
        Ok(req)
    }

    fn count(&self, op: Op) {
        let c = &self.inner.counters;
        match op {
            Op::Read => c.reads.fetch_add(1, Ordering::Relaxed),
            Op::Write(_) => c.writes.fetch_add(1, Ordering::Relaxed),
        };
    }

    /// Waits for the read budget, or for the aggregate write budget and the operation's own; the permits
    /// are held until the answer arrives.
    async fn take_turn(&self, op: Op) -> Vec<Permit> {
        let pacers = {
            let mut limiters = lock(&self.inner.limiters);
            match op {
                Op::Read => vec![limiters.reads.clone()],
                Op::Write(key) => vec![limiters.writes.clone(), limiters.operation(key)],
            }
        };
        let mut permits = Vec::with_capacity(pacers.len());
        for pacer in pacers {
            permits.push(pacer.acquire().await);
        }
        permits
    }

    async fn wait_pause(&self) {
        let until = lock(&self.inner.pause).until;
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    fn pause_for(&self, pause: Duration) {
        let until = Instant::now() + pause;
        let mut p = lock(&self.inner.pause);
        if p.until.is_none_or(|u| u < until) {
            p.until = Some(until);
        }
    }

    /// A 403 is the IP block when this client was throttled recently, or when the body says so; otherwise
    /// it is a plain permission error and is not retried.
    fn is_ip_block(&self, error: &HttpError) -> bool {
        let recently_throttled = lock(&self.inner.pause)
            .last_throttled
            .is_some_and(|t| t.elapsed() < THROTTLE_MEMORY);
        let says_so = error.as_api().is_some_and(|api| {
            let text = format!(
                "{} {}",
                api.message.as_deref().unwrap_or_default(),
                api.body_snippet
            )
            .to_ascii_lowercase();
            ["rate limit", "blocked", "throttl", "too many"]
                .iter()
                .any(|w| text.contains(w))
        });
        recently_throttled || says_so
    }

    pub(crate) fn counters(&self) -> &Counters {
        &self.inner.counters
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Builds a [`Client`]. Required: a platform or base URL, the API key and the API secret.
#[derive(Default)]
pub struct ClientBuilder {
    origin: Option<String>,
    api_key: Option<String>,
    api_secret: Option<SecretString>,
    budgets: Budgets,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    page_size: Option<u32>,
    ip_block_backoff: Option<Duration>,
    token_margin: Option<f64>,
    allow_insecure_http: bool,
    http_client: Option<reqwest::Client>,
    user_agent: Option<String>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("origin", &self.origin)
            .field("api_key", &self.api_key)
            .field(
                "api_secret",
                &self.api_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("budgets", &self.budgets)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

/// Datto's default retry policy: peers wait tens of seconds after a 429; a 500 is often transient (AE #19).
impl Client {
    /// The retry timings a client uses unless [`ClientBuilder::retry_policy`] says otherwise: five attempts
    /// from 2 s doubling to 60 s, 500 retried, for at most 10 minutes.
    pub fn default_retry_policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            initial_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
            max_elapsed: Duration::from_secs(600),
            max_retry_after: Duration::from_secs(120),
            retry_500: true,
        }
    }
}

impl ClientBuilder {
    /// The platform the account lives on.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.origin = Some(platform.origin());
        self
    }

    /// The API URL Datto shows for the account (`https://host` or `https://host/api`); a sandbox URL in tests.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.origin = Some(url.into());
        self
    }

    /// API key (the password grant's user name).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// API secret key.
    pub fn api_secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.api_secret = Some(secret.into());
        self
    }

    /// All budgets at once.
    pub fn budgets(mut self, budgets: Budgets) -> Self {
        self.budgets = budgets;
        self
    }

    /// The account's read budget (default 600 a minute; lower it when other tools share the account).
    pub fn read_budget(mut self, budget: Budget) -> Self {
        self.budgets.reads = budget;
        self
    }

    /// Most of the read budget any rolling window may hold, 0.01..=1.0 (default 0.98).
    pub fn read_utilisation(mut self, share: f64) -> Self {
        self.budgets.read_utilisation = share;
        self
    }

    /// The aggregate write budget.
    pub fn write_budget(mut self, budget: Budget) -> Self {
        self.budgets.writes = budget;
        self
    }

    /// The budget of one write operation (keys in [`crate::budget::op`]).
    pub fn operation_budget(mut self, op: &str, budget: Budget) -> Self {
        self.budgets.operations.insert(op.to_owned(), budget);
        self
    }

    /// The UDF write budget (`device-udf-set`, 600 a minute observed).
    pub fn udf_budget(self, budget: Budget) -> Self {
        self.operation_budget(crate::budget::op::DEVICE_UDF_SET, budget)
    }

    /// Retry policy of API calls.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Timeout of one attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Items per page, 1..=250 (default 250; [`Client::sync_page_size`] reads the server's value).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// How long to hold every request back after the 403 IP block (default 5 minutes).
    pub fn ip_block_backoff(mut self, backoff: Duration) -> Self {
        self.ip_block_backoff = Some(backoff);
        self
    }

    /// Share of a token's lifetime after which it is renewed (default 0.9).
    pub fn token_renewal_at(mut self, share: f64) -> Self {
        self.token_margin = Some(share);
        self
    }

    /// Allow `http://` (tests against a local fake only).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Use this reqwest client (shares its connection pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// User agent.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<Client> {
        let origin = origin_of(self.origin.as_deref())?;
        let api_key = self
            .api_key
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Config("an API key is required".into()))?;
        let api_secret = self
            .api_secret
            .filter(|s| !s.expose_secret().is_empty())
            .ok_or_else(|| Error::Config("an API secret is required".into()))?;
        let page_size = self.page_size.unwrap_or(250);
        if !(1..=250).contains(&page_size) {
            return Err(Error::Config(format!(
                "page size {page_size} is outside 1..=250"
            )));
        }
        let api_url = origin
            .join("api")
            .map_err(|e| Error::Config(format!("bad base URL: {e}")))?;
        let core = |base: Url, retry: RetryPolicy| {
            let mut cfg = HttpCore::builder(base)
                .timeout(self.timeout.unwrap_or(Duration::from_secs(30)))
                .retry_policy(retry)
                .allow_insecure_http(self.allow_insecure_http)
                .redact(&api_secret);
            if let Some(agent) = &self.user_agent {
                cfg = cfg.user_agent(agent.clone());
            }
            if let Some(client) = &self.http_client {
                cfg = cfg.client(client.clone());
            }
            cfg.build()
        };
        // The client runs its own retry loop (it must see every 429 to recognise the IP block).
        // The token endpoint has no budget to watch, so the runtime retries it with the client's policy.
        let retry = self
            .retry
            .clone()
            .unwrap_or_else(Client::default_retry_policy);
        let api = core(api_url, RetryPolicy::no_retry())?;
        let auth = core(origin, retry.clone())?;
        let counters = Arc::new(Counters::default());
        let tokens = Tokens::new(auth, api_key, api_secret, self.token_margin.unwrap_or(0.9));
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                tokens,
                limiters: Mutex::new(Limiters::new(&self.budgets)),
                budgets: Mutex::new(self.budgets),
                retry,
                page_size: AtomicU32::new(page_size),
                ip_block_backoff: self.ip_block_backoff.unwrap_or(Duration::from_secs(300)),
                pause: Mutex::new(Pause::default()),
                counters,
                flights: Flights::default(),
            }),
        })
    }
}

/// The host origin with a trailing slash, from `https://host`, `https://host/` or `https://host/api`.
fn origin_of(url: Option<&str>) -> Result<Url> {
    let raw = url.ok_or_else(|| Error::Config("a platform or base URL is required".into()))?;
    let mut url =
        Url::parse(raw.trim()).map_err(|e| Error::Config(format!("bad base URL {raw:?}: {e}")))?;
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/api").unwrap_or(path).to_owned();
    url.set_path(&format!("{path}/"));
    url.set_query(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_accepts_host_or_api_url() {
        for raw in [
            "https://merlot-api.centrastage.net",
            "https://merlot-api.centrastage.net/",
            "https://merlot-api.centrastage.net/api",
            "https://merlot-api.centrastage.net/api/",
        ] {
            assert_eq!(
                origin_of(Some(raw)).unwrap().as_str(),
                "https://merlot-api.centrastage.net/"
            );
        }
        assert!(origin_of(None).is_err());
        assert!(origin_of(Some("not a url")).is_err());
    }

    #[test]
    fn platforms_parse_and_build_hosts() {
        assert_eq!("Syrah".parse::<Platform>().unwrap(), Platform::Syrah);
        assert!("cabernet".parse::<Platform>().is_err());
        assert_eq!(
            Platform::Vidal.origin(),
            "https://vidal-api.centrastage.net"
        );
    }

    #[test]
    fn builder_checks_inputs_and_hides_the_secret() {
        let b = Client::builder()
            .platform(Platform::Concord)
            .api_key("k")
            .api_secret("very-secret-value");
        assert!(!format!("{b:?}").contains("very-secret-value"));
        let client = b.build().unwrap();
        assert_eq!(
            client.api_base().as_str(),
            "https://concord-api.centrastage.net/api"
        );
        assert!(!format!("{client:?}").contains("very-secret-value"));
        assert!(matches!(
            Client::builder()
                .platform(Platform::Concord)
                .api_secret("s")
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .base_url("http://127.0.0.1:1")
                .api_key("k")
                .api_secret("s")
                .build(),
            Err(Error::Http(HttpError::InvalidRequest(_)))
        ));
        assert!(matches!(
            Client::builder()
                .platform(Platform::Concord)
                .api_key("k")
                .api_secret("s")
                .page_size(251)
                .build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn urls_encode_segments_and_keep_query() {
        let client = Client::builder()
            .platform(Platform::Merlot)
            .api_key("k")
            .api_secret("s")
            .build()
            .unwrap();
        let url = client
            .url(
                &["site", "a b/c", "devices"],
                &[("page".into(), "0".into()), ("max".into(), "250".into())],
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://merlot-api.centrastage.net/api/v2/site/a%20b%2Fc/devices?page=0&max=250"
        );
    }
}
