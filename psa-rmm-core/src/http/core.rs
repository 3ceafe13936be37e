//! [`HttpCore`]: the shared client that paces, sends, classifies and retries every vendor call.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::error::{ApiError, HttpError, MAX_SNIPPET_BYTES};
use super::limit::RateLimiter;
use super::redact::Redactor;
use super::request::{Auth, Request, Response};
use super::retry::{Outcome, RetryDecision, RetryPolicy, is_idempotent, parse_retry_after};

/// Pulls the vendor's `(code, message)` out of an error body; `(None, None)` when it has neither.
pub type ErrorBodyParser = Arc<dyn Fn(&[u8]) -> (Option<String>, Option<String>) + Send + Sync>;

/// Reads how long a 429 asks to wait from a vendor's own headers (e.g. a rate-limit reset time), given
/// the wall-clock time now; consulted only when the answer has no `Retry-After`.
pub type ThrottleWait = Arc<dyn Fn(&HeaderMap, SystemTime) -> Option<Duration> + Send + Sync>;

/// Default of [`HttpConfig::max_body_bytes`].
pub const DEFAULT_MAX_BODY_BYTES: usize = 128 * 1024 * 1024;
/// How much of an error body is read: enough for any vendor error document, never a whole HTML page set.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The request id header we send on every call.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Response headers that may carry the server's request id, most specific first.
const RESPONSE_ID_HEADERS: [&str; 5] = [
    "x-cw-request-id",
    "x-request-id",
    "x-correlation-id",
    "request-id",
    "x-amzn-requestid",
];

/// Settings of an [`HttpCore`]; build with [`HttpCore::builder`].
///
/// ```
/// use std::time::Duration;
/// use psa_rmm_core::http::{HttpCore, HttpError, RateLimiter, RetryPolicy};
/// use url::Url;
///
/// # fn demo() -> Result<HttpCore, HttpError> {
/// let base = Url::parse("https://api-na.myconnectwise.net/v4_6_release/apis/3.0").unwrap();
/// HttpCore::builder(base)
///     .timeout(Duration::from_secs(30))
///     .user_agent("psa-rmm/0.1")
///     .retry_policy(RetryPolicy::default())
///     .rate_limiter(RateLimiter::per_minute(600))
///     .error_parser(|body| {
///         let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
///         (v["code"].as_str().map(Into::into), v["message"].as_str().map(Into::into))
///     })
///     .build()
/// # }
/// ```
#[derive(Clone)]
pub struct HttpConfig {
    base_url: Url,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    default_headers: HeaderMap,
    redactor: Redactor,
    error_parser: ErrorBodyParser,
    throttle_wait: Option<ThrottleWait>,
    allow_insecure_http: bool,
    client: Option<reqwest::Client>,
    max_body_bytes: usize,
}

impl HttpConfig {
    /// Settings with defaults (30 s timeout, 10 s connect timeout, default retry policy, no limiter).
    pub fn new(base_url: Url) -> Self {
        Self {
            base_url,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("psa-rmm/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            limiter: None,
            default_headers: HeaderMap::new(),
            redactor: Redactor::new(),
            error_parser: Arc::new(default_error_parser),
            throttle_wait: None,
            allow_insecure_http: false,
            client: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Total timeout of one attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout of setting up a connection (ignored with an injected [`client`](Self::client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` sent.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Retry budget and pacing.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The account's request budget; pass a clone to share it with another client of the same account.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// A header sent on every request (e.g. Manage's `clientId` or its versioned `Accept`).
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// Scrub this secret from every error and snippet (credentials are registered automatically when sent).
    pub fn redact(self, secret: &SecretString) -> Self {
        self.redactor.register(secret);
        self
    }

    /// How to read the vendor's error bodies (default: [`default_error_parser`]).
    pub fn error_parser(
        mut self,
        parser: impl Fn(&[u8]) -> (Option<String>, Option<String>) + Send + Sync + 'static,
    ) -> Self {
        self.error_parser = Arc::new(parser);
        self
    }

    /// How to read "wait this long" from a 429 without `Retry-After` (e.g. Asio's rate-limit reset
    /// epoch). What it returns is treated like a `Retry-After`: it replaces the backoff, is capped by
    /// [`RetryPolicy::max_retry_after`] and pauses the whole account.
    pub fn throttle_wait(
        mut self,
        read: impl Fn(&HeaderMap, SystemTime) -> Option<Duration> + Send + Sync + 'static,
    ) -> Self {
        self.throttle_wait = Some(Arc::new(read));
        self
    }

    /// Allow `http://` URLs (tests against a local fake only; the default refuses them).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The largest successful body read (default 128 MiB); a larger one is [`HttpError::BodyTooLarge`]
    /// rather than memory exhaustion.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Use this reqwest client (shares its connection pool); the timeout still applies per attempt.
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Check the settings and build the client.
    pub fn build(self) -> Result<HttpCore, HttpError> {
        HttpCore::new(self)
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("limiter", &self.limiter)
            .field(
                "default_headers",
                &self.default_headers.keys().collect::<Vec<_>>(),
            )
            .field("redactor", &self.redactor)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// Reads `(code, message)` from common JSON error shapes: `{code, message}`, `{error, error_description}`,
/// `{error: {code, message}}`, `{errorCode, errorMessage}`. Non-JSON bodies give `(None, None)`.
pub fn default_error_parser(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    if let Some(serde_json::Value::Object(inner)) = map.get("error") {
        return (
            scalar(inner, &["code", "type"]),
            scalar(inner, &["message", "description"]),
        );
    }
    (
        scalar(&map, &["code", "errorCode", "error", "status"]),
        scalar(
            &map,
            &[
                "message",
                "error_description",
                "errorMessage",
                "detail",
                "title",
                "Message",
            ],
        ),
    )
}

fn scalar(map: &serde_json::Map<String, serde_json::Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(*k)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The shared HTTP client of one vendor account. Cloning is cheap and shares the connection pool, the rate
/// budget and the account's "not before" pause.
///
/// Per attempt it waits for the account pause and rate permits, sends with a fresh-enough token, renews a
/// bearer token once on 401, and turns the answer into a [`Response`] or a typed [`HttpError`]; retries
/// follow [`RetryPolicy::decide`], executed by backon with jitter. Each call runs in a tracing span
/// `http_request` (method, path template, request id, status, attempt, elapsed_ms).
///
/// ```
/// use psa_rmm_core::http::{Auth, HttpCore, HttpError, Request, SecretString};
///
/// #[derive(serde::Deserialize)]
/// struct Company { id: u64 }
///
/// # async fn demo(core: HttpCore, private_key: SecretString) -> Result<(), HttpError> {
/// let url = core.endpoint("/company/companies/42")?;
/// let company: Company = core
///     .send_json(Request::get("/company/companies/{id}", url).auth(Auth::Basic("acme+pub".into(), private_key)))
///     .await?;
/// # let _ = company.id; Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpCore {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    base_url: Url,
    timeout: Duration,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    default_headers: HeaderMap,
    redactor: Redactor,
    error_parser: ErrorBodyParser,
    throttle_wait: Option<ThrottleWait>,
    allow_insecure_http: bool,
    max_body_bytes: usize,
    not_before: Mutex<Option<Instant>>,
}

/// A failed attempt, with what retrying needs to know (`None`: never retry).
struct Failure {
    error: HttpError,
    outcome: Option<Outcome>,
}

impl Failure {
    /// Retried as the error's [`HttpError::retry_outcome`] and the policy allow.
    fn retryable(error: HttpError) -> Self {
        let outcome = error.retry_outcome();
        Self { error, outcome }
    }

    /// Never retried here (a token source that already ran its own retries, a body past the limit).
    fn last(error: HttpError) -> Self {
        Self {
            error,
            outcome: None,
        }
    }
}

impl HttpCore {
    /// Settings for a client of the API at `base_url`.
    pub fn builder(base_url: Url) -> HttpConfig {
        HttpConfig::new(base_url)
    }

    /// Build a client; refuses `http://` unless allowed, and URLs that cannot be a base.
    pub fn new(config: HttpConfig) -> Result<Self, HttpError> {
        check_scheme(&config.base_url, config.allow_insecure_http)?;
        if config.base_url.cannot_be_a_base() {
            return Err(HttpError::InvalidRequest(
                "the base URL cannot have paths appended".into(),
            ));
        }
        let client = match config.client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| {
                    HttpError::InvalidRequest(format!("cannot build the HTTP client: {e}"))
                })?,
        };
        let mut default_headers = config.default_headers;
        let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
            HttpError::InvalidRequest("the user agent is not a valid header value".into())
        })?;
        default_headers.entry(USER_AGENT).or_insert(user_agent);
        default_headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                base_url: config.base_url,
                timeout: config.timeout,
                retry: config.retry,
                limiter: config.limiter,
                default_headers,
                redactor: config.redactor,
                error_parser: config.error_parser,
                throttle_wait: config.throttle_wait,
                max_body_bytes: config.max_body_bytes,
                allow_insecure_http: config.allow_insecure_http,
                not_before: Mutex::new(None),
            }),
        })
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The base URL with `path` appended (`/company/companies` after `.../apis/3.0`); a query in `path`
    /// is kept.
    pub fn endpoint(&self, path: &str) -> Result<Url, HttpError> {
        let base = self.inner.base_url.as_str().trim_end_matches('/');
        let joined = format!("{base}/{}", path.trim_start_matches('/'));
        Url::parse(&joined)
            .map_err(|e| HttpError::InvalidRequest(format!("bad endpoint {path:?}: {e}")))
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The redactor used for every snippet; register extra secrets on it.
    pub fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// Send `req`, retrying as the policy allows; a non-success answer is an [`HttpError::Api`].
    pub async fn send(&self, req: Request) -> Result<Response, HttpError> {
        check_scheme(&req.url, self.inner.allow_insecure_http)?;
        if let Auth::Basic(_, password) = &req.auth {
            self.inner.redactor.register(password);
        }
        let request_id = uuid::Uuid::new_v4().to_string();
        let span = tracing::info_span!(
            "http_request",
            method = %req.method,
            path = %req.path,
            request_id = %request_id,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let start = Instant::now();
        let attempts = AtomicU32::new(0);
        let result = self
            .run(&req, &request_id, start, &attempts)
            .instrument(span.clone())
            .await;
        span.record("attempts", attempts.load(Ordering::SeqCst));
        span.record("elapsed_ms", millis(start.elapsed()));
        let status = match &result {
            Ok(resp) => Some(resp.status),
            Err(error) => error.status(),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("http request done"),
            Err(error) => tracing::debug!(error = %error, "http request failed"),
        });
        result
    }

    /// [`send`](Self::send), then decode the JSON body.
    pub async fn send_json<T: DeserializeOwned>(&self, req: Request) -> Result<T, HttpError> {
        self.send(req).await?.json()
    }

    /// Hold every request of this account (all clones) for `duration`, e.g. after a vendor's IP block.
    /// A longer pause already in force is kept.
    pub fn pause(&self, duration: Duration) {
        let now = Instant::now();
        // A pause beyond a day is a misconfiguration, not a reason to overflow.
        let until = now + duration.min(Duration::from_secs(86_400));
        let mut slot = self
            .inner
            .not_before
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }

    async fn run(
        &self,
        req: &Request,
        request_id: &str,
        start: Instant,
        attempts: &AtomicU32,
    ) -> Result<Response, HttpError> {
        let policy = req.retry.as_ref().unwrap_or(&self.inner.retry);
        let idempotent = is_repeatable(req);
        let renewed = AtomicBool::new(false);
        let backoff = ExponentialBuilder::default()
            .with_min_delay(policy.initial_delay)
            .with_max_delay(policy.max_delay)
            .with_factor(2.0)
            .with_max_times(
                usize::try_from(policy.max_attempts.saturating_sub(1)).unwrap_or(usize::MAX),
            )
            .with_jitter()
            .with_jitter_seed(jitter_seed(request_id));
        let renewed = &renewed;
        let attempt = move || async move {
            let n = attempts.fetch_add(1, Ordering::SeqCst) + 1;
            let span =
                tracing::debug_span!("http_attempt", attempt = n, status = tracing::field::Empty);
            self.attempt(req, request_id, renewed)
                .instrument(span)
                .await
        };
        attempt
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(|failure: &Failure| failure.outcome.is_some())
            .adjust(|failure, proposed| {
                let proposed = proposed?;
                let outcome = failure.outcome?;
                let elapsed = start.elapsed();
                let RetryDecision::Retry(delay) = policy.decide(
                    idempotent,
                    &outcome,
                    attempts.load(Ordering::SeqCst),
                    elapsed,
                ) else {
                    return None;
                };
                let server_said = matches!(
                    outcome,
                    Outcome::Status {
                        retry_after: Some(_),
                        ..
                    }
                );
                // backon's jitter may double a delay: keep it within the policy's bounds.
                let delay = if server_said {
                    delay
                } else {
                    proposed.min(policy.max_delay).max(delay)
                };
                Some(delay.min(policy.max_elapsed.saturating_sub(elapsed)))
            })
            .notify(|failure, delay| {
                tracing::debug!(error = %failure.error, delay_ms = millis(delay), "retrying");
            })
            .await
            .map_err(|failure| failure.error)
    }

    /// One attempt: pace, authenticate, send; a 401 on a bearer token renews it once per call.
    async fn attempt(
        &self,
        req: &Request,
        request_id: &str,
        renewed: &AtomicBool,
    ) -> Result<Response, Failure> {
        loop {
            self.wait_turn(req).await;
            let bearer = self.bearer_token(req).await?;
            let resp = self
                .build(req, request_id, bearer.as_ref())
                .send()
                .await
                .map_err(|e| transport(req, e))?;
            let status = resp.status();
            tracing::Span::current().record("status", status.as_u16());
            if status == StatusCode::UNAUTHORIZED
                && let (Auth::Bearer(source), Some(stale)) = (&req.auth, &bearer)
                && !renewed.swap(true, Ordering::SeqCst)
            {
                tracing::debug!("401 on a bearer token: renewing it once");
                source.invalidate_token(stale).await;
                continue;
            }
            return self.finish(req, request_id, resp).await;
        }
    }

    async fn bearer_token(&self, req: &Request) -> Result<Option<SecretString>, Failure> {
        let Auth::Bearer(source) = &req.auth else {
            return Ok(None);
        };
        let token = source.fetch().await.map_err(Failure::last)?;
        self.inner.redactor.register(&token);
        Ok(Some(token))
    }

    /// Honour the account's pause (after a 429), then take the account's and the request's permits.
    async fn wait_turn(&self, req: &Request) {
        let until = *self
            .inner
            .not_before
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
        if let Some(limiter) = &self.inner.limiter {
            limiter.until_ready().await;
        }
        if let Some(limiter) = &req.limiter {
            limiter.until_ready().await;
        }
    }

    fn build(
        &self,
        req: &Request,
        request_id: &str,
        bearer: Option<&SecretString>,
    ) -> reqwest::RequestBuilder {
        let mut headers = self.inner.default_headers.clone();
        headers.extend(req.headers.clone());
        if let Ok(id) = HeaderValue::from_str(request_id) {
            headers.insert(REQUEST_ID_HEADER, id);
        }
        let mut builder = self
            .inner
            .client
            .request(req.method.clone(), req.url.clone())
            .headers(headers)
            .timeout(req.timeout.unwrap_or(self.inner.timeout));
        // reqwest marks both of these Authorization headers sensitive.
        builder = match (&req.auth, bearer) {
            (Auth::Basic(user, password), _) => {
                builder.basic_auth(user, Some(password.expose_secret()))
            }
            (Auth::Bearer(_), Some(token)) => builder.bearer_auth(token.expose_secret()),
            _ => builder,
        };
        match &req.body {
            Some(body) => builder.body(body.clone()),
            None => builder,
        }
    }

    async fn finish(
        &self,
        req: &Request,
        request_id: &str,
        resp: reqwest::Response,
    ) -> Result<Response, Failure> {
        let status = resp.status();
        let headers = resp.headers().clone();
        let request_id = response_request_id(&headers).unwrap_or_else(|| request_id.to_owned());
        if status.is_success() {
            let limit = self.inner.max_body_bytes;
            let body = match read_body(resp, limit).await {
                Ok((body, false)) => body,
                Ok((_, true)) => {
                    let error = HttpError::BodyTooLarge {
                        endpoint: req.endpoint(),
                        limit,
                    };
                    return Err(Failure::last(error));
                }
                Err(e) => return Err(transport(req, e)),
            };
            let response = Response {
                method: req.method.clone(),
                path: req.path.clone(),
                status,
                headers,
                body,
                request_id,
                redactor: self.inner.redactor.clone(),
            };
            // A read whose JSON broke off is tried again like a dropped connection; a write's answer is
            // left to the caller, since the write itself may have happened.
            if is_repeatable(req)
                && let Some(error) = response.cut_short_json()
            {
                return Err(Failure::retryable(error));
            }
            return Ok(response);
        }
        // An error body that breaks off or goes on for ever still leaves a typed API error.
        let body = read_error_body(resp).await;
        let retry_after = self.server_wait(status, &headers);
        if status == StatusCode::TOO_MANY_REQUESTS
            && let Some(pause) = retry_after
        {
            self.pause(pause.min(self.inner.retry.max_retry_after));
        }
        let redactor = &self.inner.redactor;
        let (code, message) = (self.inner.error_parser)(&body);
        let error = ApiError {
            method: req.method.clone(),
            path: req.path.to_string(),
            status,
            code: code.map(|c| redactor.redact(&c)),
            message: message.map(|m| redactor.redact(&m)),
            retry_after,
            request_id: Some(request_id),
            body_snippet: redactor.snippet(&body, MAX_SNIPPET_BYTES),
        };
        Err(Failure::retryable(error.into()))
    }
}

impl HttpCore {
    /// The server's `Retry-After`, or for a 429 without one what the vendor's [`ThrottleWait`] reads.
    fn server_wait(&self, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        let now = SystemTime::now();
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, now));
        match &self.inner.throttle_wait {
            Some(read) if retry_after.is_none() && status == StatusCode::TOO_MANY_REQUESTS => {
                read(headers, now)
            }
            _ => retry_after,
        }
    }
}

impl fmt::Debug for HttpCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpCore")
            .field("base_url", &self.inner.base_url.as_str())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
            .field(
                "default_headers",
                &self.inner.default_headers.keys().collect::<Vec<_>>(),
            )
            .field("redactor", &self.inner.redactor)
            .finish_non_exhaustive()
    }
}

fn is_repeatable(req: &Request) -> bool {
    req.idempotent.unwrap_or_else(|| is_idempotent(&req.method))
}

fn check_scheme(url: &Url, allow_insecure_http: bool) -> Result<(), HttpError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_insecure_http => Ok(()),
        "http" => Err(HttpError::InvalidRequest(
            "refusing plain http:// (credentials would travel in clear); use https or allow_insecure_http for tests"
                .into(),
        )),
        other => Err(HttpError::InvalidRequest(format!("unsupported URL scheme {other:?}"))),
    }
}

fn transport(req: &Request, error: reqwest::Error) -> Failure {
    let endpoint = req.endpoint();
    let source = error.without_url();
    Failure::retryable(if source.is_timeout() {
        HttpError::Timeout { endpoint, source }
    } else {
        HttpError::Transport { endpoint, source }
    })
}

/// Read at most `limit` bytes; `true` when the body had more.
async fn read_body(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    if resp
        .content_length()
        .is_some_and(|len| len > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Ok((Vec::new(), true));
    }
    let capacity = resp
        .content_length()
        .and_then(|len| usize::try_from(len).ok())
        .unwrap_or(0);
    let mut body = Vec::with_capacity(capacity.min(limit));
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// What arrived of an error body, up to [`MAX_ERROR_BODY_BYTES`].
async fn read_error_body(mut resp: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = MAX_ERROR_BODY_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == MAX_ERROR_BODY_BYTES {
            break;
        }
    }
    body
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn response_request_id(headers: &HeaderMap) -> Option<String> {
    RESPONSE_ID_HEADERS.iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?.trim();
        (!value.is_empty()).then(|| value.chars().take(128).collect())
    })
}

/// Jitter seeded from the request id: random per call without needing a global RNG feature.
fn jitter_seed(request_id: &str) -> u64 {
    request_id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
