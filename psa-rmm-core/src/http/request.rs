//! What one call carries ([`Request`], [`Auth`]) and what comes back ([`Response`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{DecodeError, HttpError, MAX_DECODE_SNIPPET_BYTES};
use super::limit::RateLimiter;
use super::redact::Redactor;
use super::retry::RetryPolicy;
use super::token::TokenSource;

/// How a request authenticates.
#[derive(Clone, Default)]
pub enum Auth {
    /// No credentials (public endpoints, or auth carried in default headers).
    #[default]
    None,
    /// HTTP Basic with this user and password (ConnectWise Manage: `company+public`, private key).
    Basic(String, SecretString),
    /// `Authorization: Bearer` with tokens from this source; a 401 renews the token once.
    Bearer(Arc<dyn TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic(user, _) => f
                .debug_tuple("Basic")
                .field(user)
                .field(&"[REDACTED]")
                .finish(),
            Self::Bearer(_) => f.write_str("Bearer([REDACTED])"),
        }
    }
}

/// One logical call: [`HttpCore::send`](super::HttpCore::send) may send it several times (retries).
///
/// ```
/// use psa_rmm_core::http::{Auth, HttpError, Request, SecretString};
/// use url::Url;
///
/// # fn demo() -> Result<(), HttpError> {
/// let url = Url::parse("https://api.example.com/v4_6_release/apis/3.0/company/companies/42").unwrap();
/// let req = Request::patch("/company/companies/{id}", url)
///     .json(&serde_json::json!([{"op": "replace", "path": "name", "value": "Acme"}]))?
///     .auth(Auth::Basic("acme+pub".into(), SecretString::from("priv")))
///     .idempotent(true); // a replace patch is safe to repeat
/// # let _ = req; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: Cow<'static, str>,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) auth: Auth,
    pub(crate) limiter: Option<RateLimiter>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl Request {
    /// A request; `path_template` names the endpoint in traces and errors without ids
    /// (e.g. `/company/companies/{id}`), `url` is the full address to call.
    pub fn new(method: Method, path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self {
            method,
            path: path_template.into(),
            url,
            headers: HeaderMap::new(),
            body: None,
            auth: Auth::None,
            limiter: None,
            idempotent: None,
            timeout: None,
            retry: None,
        }
    }

    /// A GET request.
    pub fn get(path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self::new(Method::GET, path_template, url)
    }

    /// A POST request.
    pub fn post(path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self::new(Method::POST, path_template, url)
    }

    /// A PUT request.
    pub fn put(path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self::new(Method::PUT, path_template, url)
    }

    /// A PATCH request.
    pub fn patch(path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self::new(Method::PATCH, path_template, url)
    }

    /// A DELETE request.
    pub fn delete(path_template: impl Into<Cow<'static, str>>, url: Url) -> Self {
        Self::new(Method::DELETE, path_template, url)
    }

    /// Add a header (replacing one of the same name). Mark secret values with `set_sensitive(true)`.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Send `body` serialized as JSON (with `Content-Type: application/json`).
    pub fn json<B: Serialize + ?Sized>(self, body: &B) -> Result<Self, HttpError> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            HttpError::InvalidRequest(format!("request body does not serialize: {e}"))
        })?;
        Ok(self.body(bytes, HeaderValue::from_static("application/json")))
    }

    /// Send these bytes with this content type (e.g. a form-encoded OAuth token request).
    pub fn body(mut self, bytes: Vec<u8>, content_type: HeaderValue) -> Self {
        self.headers.insert(CONTENT_TYPE, content_type);
        self.body = Some(bytes);
        self
    }

    /// Authenticate this way.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Also take a permit from this limiter before every attempt (e.g. a vendor's separate write budget).
    pub fn limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Override whether the request may be repeated after it reached the server
    /// (default: GET, HEAD, PUT, DELETE, OPTIONS yes; POST, PATCH no).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Total timeout of each attempt of this request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retry this request by `policy` instead of the client's (e.g. `RetryPolicy::no_retry()`).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The path template.
    pub fn path_template(&self) -> &str {
        &self.path
    }

    pub(crate) fn endpoint(&self) -> Box<str> {
        format!("{} {}", self.method, self.path).into_boxed_str()
    }
}

impl fmt::Debug for Request {
    /// The body length only: bodies (token requests) may hold secrets. Sensitive headers print as such.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("url", &self.url.as_str())
            .field("headers", &self.headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("auth", &self.auth)
            .field("limiter", &self.limiter)
            .field("idempotent", &self.idempotent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A successful answer, body read in full.
///
/// ```
/// # use psa_rmm_core::http::{HttpCore, HttpError, Request};
/// #[derive(serde::Deserialize)]
/// struct Info { version: String }
///
/// # async fn demo(core: HttpCore) -> Result<(), HttpError> {
/// let resp = core.send(Request::get("/system/info", core.endpoint("/system/info")?)).await?;
/// let info: Info = resp.json()?; // a failure names the JSON path, e.g. `version`
/// # let _ = info; Ok(()) }
/// ```
pub struct Response {
    pub(crate) method: Method,
    pub(crate) path: Cow<'static, str>,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) request_id: String,
    pub(crate) redactor: Redactor,
}

impl Response {
    /// HTTP status (always a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The server's request id, or the `X-Request-ID` we sent.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Decode the JSON body; a failure is a [`HttpError::Decode`] naming the JSON path that failed
    /// (a body cut short included).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            self.decode_error(path, e.into_inner())
        })?;
        de.end().map_err(|e| self.decode_error(".".into(), e))?;
        Ok(value)
    }

    /// The body opens a JSON document that it never closes (a cut connection or a proxy): checked
    /// without building any value, so a caller can retry before decoding.
    pub(crate) fn cut_short_json(&self) -> Option<HttpError> {
        if !self.opens_document() {
            return None;
        }
        let error = serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).err()?;
        // Only now, on the failure path, pay for a decode that names the JSON path of the cut.
        error
            .is_eof()
            .then(|| self.json::<serde_json::Value>().err())
            .flatten()
    }

    /// An empty body never started a document: it is an answer of the wrong shape, not a cut one.
    fn opens_document(&self) -> bool {
        let opens = self.body.iter().find(|b| !b.is_ascii_whitespace());
        matches!(opens, Some(b'{' | b'['))
    }

    fn decode_error(&self, json_path: String, error: serde_json::Error) -> HttpError {
        HttpError::from(DecodeError {
            method: self.method.clone(),
            path: self.path.to_string(),
            status: self.status,
            json_path,
            cut_short: error.is_eof() && self.opens_document(),
            message: error.to_string(),
            body_snippet: self.redactor.snippet(&self.body, MAX_DECODE_SNIPPET_BYTES),
            request_id: Some(self.request_id.clone()),
        })
    }
}

impl fmt::Debug for Response {
    /// Header names and the body length only: bodies (token answers) and header values may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .field("request_id", &self.request_id)
            .finish()
    }
}
