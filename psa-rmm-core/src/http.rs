//! The HTTP runtime the vendor clients share: pacing, retries, pagination, tokens, secrets and errors.
//!
//! A vendor client owns one [`HttpCore`] per account (cheap to clone), builds a [`Request`] per call and
//! gets a [`Response`] or a typed [`HttpError`] back. Everything else (waiting for rate permits, the
//! account-wide pause after a 429, retrying with backoff, renewing a bearer token on 401, tracing,
//! scrubbing secrets from errors) happens inside [`HttpCore::send`].
//!
//! # Building a client
//! ```
//! use std::time::Duration;
//! use psa_rmm_core::http::{HttpCore, HttpError, RateLimiter, RetryPolicy};
//! use url::Url;
//!
//! # fn demo() -> Result<(), HttpError> {
//! let base = Url::parse("https://pinotage-api.centrastage.net/api").unwrap();
//! let core = HttpCore::builder(base)
//!     .timeout(Duration::from_secs(30))
//!     .connect_timeout(Duration::from_secs(5))
//!     .retry_policy(RetryPolicy { max_attempts: 3, ..RetryPolicy::default() })
//!     .rate_limiter(RateLimiter::per_minute(540))
//!     .build()?; // refuses http:// unless .allow_insecure_http(true)
//! # let _ = core; Ok(()) }
//! ```
//!
//! # Sending
//! ```
//! use psa_rmm_core::http::{Auth, HttpCore, HttpError, RateLimiter, Request};
//! use std::sync::Arc;
//!
//! # async fn demo(core: HttpCore, writes: RateLimiter, token: Arc<dyn psa_rmm_core::http::TokenSource>) -> Result<(), HttpError> {
//! let url = core.endpoint("/v2/device/abc/udf")?;
//! let req = Request::post("/v2/device/{uid}/udf", url)
//!     .json(&serde_json::json!({"udf1": "x"}))?
//!     .auth(Auth::Bearer(token)) // 401 -> TokenSource::invalidate + fetch, resent once
//!     .limiter(writes); // the vendor's separate write budget, on top of the account's
//! match core.send(req).await {
//!     Ok(resp) => { let _ = resp.status(); }
//!     Err(e) if e.status().is_some_and(|s| s.as_u16() == 404) => {}
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! # Retries
//! [`retry_decision`] is a pure function of (method, [`Outcome`], attempt, elapsed, [`RetryPolicy`]):
//! 429, 500 (unless `retry_500` is off), 502, 503, 504, connect errors and timeouts are retried for idempotent
//! methods; POST and PATCH only after a connect failure (nothing sent) or when the request says
//! [`Request::idempotent`]. `Retry-After` (seconds or HTTP-date, see [`parse_retry_after`]) replaces the
//! backoff, capped by `max_retry_after`, and never extends the attempt or time budget. A 429 with
//! `Retry-After` also pauses every request of the account (all clones of the [`HttpCore`]). A vendor
//! whose 429s say "wait" another way (Asio's rate-limit reset epoch) supplies [`HttpConfig::throttle_wait`],
//! read when a 429 has no `Retry-After` and treated like one.
//!
//! # Pagination
//! [`paginate`] turns a "fetch page at cursor" closure into a `'static + Send` stream of items; see its
//! example. [`link_next`] reads RFC 8288 `Link: <...>; rel="next"` headers.
//!
//! # Tokens
//! [`TokenCache`] keeps one token and renews it single-flight a margin before expiry; a vendor client
//! implements [`TokenSource`] over it for [`Auth::Bearer`]:
//! ```
//! use std::time::Duration;
//! use psa_rmm_core::http::{HttpError, SecretString, Token, TokenCache, TokenSource};
//!
//! struct DattoTokens { cache: TokenCache /* + an HttpCore and the key/secret */ }
//!
//! #[async_trait::async_trait]
//! impl TokenSource for DattoTokens {
//!     async fn fetch(&self) -> Result<SecretString, HttpError> {
//!         let token = self.cache.get_or_refresh(|| async {
//!             // POST /auth/oauth/token with Request::post(..).body(form, content type), decode it.
//!             Ok::<_, HttpError>(Token::new(SecretString::from("eyJ..."), Duration::from_secs(360_000)))
//!         }).await?;
//!         Ok(token.access)
//!     }
//!     async fn invalidate(&self) { self.cache.invalidate().await }
//! }
//! ```
//!
//! # Secrets and errors
//! Credentials are [`SecretString`]s; every type holding one has a hand-written `Debug`. The [`Redactor`]
//! of a core scrubs registered secrets (Basic passwords and bearer tokens register themselves when sent)
//! and credential-looking text from [`ApiError`] snippets and messages. [`ApiError`] carries status, vendor
//! code and message (from the client's [`ErrorBodyParser`]), `Retry-After`, request id and a 2 KiB
//! snippet; [`DecodeError`] names the JSON path that failed.

mod core;
mod error;
mod limit;
mod page;
mod redact;
mod request;
mod retry;
mod segment;
mod token;

pub use self::core::{
    ErrorBodyParser, HttpConfig, HttpCore, REQUEST_ID_HEADER, ThrottleWait, default_error_parser,
};
pub use self::error::{
    ApiError, DecodeError, HttpError, MAX_DECODE_SNIPPET_BYTES, MAX_SNIPPET_BYTES,
};
pub use self::limit::RateLimiter;
pub use self::page::{Page, link_next, link_next_in, paginate, paginate_pages};
pub use self::redact::{REDACTED, Redactor};
pub use self::request::{Auth, Request, Response};
pub use self::retry::{
    Outcome, RetryDecision, RetryPolicy, is_idempotent, parse_retry_after, retry_decision,
};
pub use self::segment::path_segment;
pub use self::token::{Token, TokenCache, TokenSource};
pub use secrecy::{ExposeSecret, SecretString};

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn shared_types_are_send_and_sync() {
        send_sync::<HttpCore>();
        send_sync::<HttpConfig>();
        send_sync::<Request>();
        send_sync::<Response>();
        send_sync::<HttpError>();
        send_sync::<RateLimiter>();
        send_sync::<TokenCache>();
        send_sync::<Redactor>();
    }
}
