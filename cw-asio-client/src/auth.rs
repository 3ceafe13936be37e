//! OAuth client credentials against `POST /v1/token`, with a JSON body.
//!
//! Asking for tokens too often locks the key (423), so the token is cached until shortly before it expires,
//! renewals are single-flight ([`TokenCache`]), a 401 drops the cached token only if it is the one the
//! server refused (so concurrent 401s renew once), and after a 423 the source refuses to ask again for
//! [`LOCK_BACKOFF`].

use crate::model::{TokenRequest, TokenResponse};
use psa_rmm_core::http::{
    ApiError, HttpCore, HttpError, Request, SecretString, Token, TokenCache, TokenSource,
};
use reqwest::{Method, StatusCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// How long the client holds off after a 423 before it asks for a token again.
pub const LOCK_BACKOFF: Duration = Duration::from_secs(300);
/// Lifetime assumed when the token response has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Longest renewal margin: a token is renewed at most this long before it expires.
const MAX_MARGIN: Duration = Duration::from_secs(60);

pub(crate) struct AsioAuth {
    http: HttpCore,
    client_id: String,
    client_secret: SecretString,
    scope: String,
    cache: TokenCache,
    locked_until: Mutex<Option<Instant>>,
    minted: AtomicU64,
}

impl AsioAuth {
    pub(crate) fn new(
        http: HttpCore,
        client_id: String,
        client_secret: SecretString,
        scope: String,
    ) -> Self {
        Self {
            http,
            client_id,
            client_secret,
            scope,
            // The margin is applied per token (see `lifetime`), so short-lived tokens still get cached.
            cache: TokenCache::new(Duration::ZERO),
            locked_until: Mutex::new(None),
            minted: AtomicU64::new(0),
        }
    }

    /// Tokens minted by this source so far.
    pub(crate) fn minted(&self) -> u64 {
        self.minted.load(Ordering::Relaxed)
    }

    /// The cached token or a new one; concurrent callers share one request.
    pub(crate) async fn token(&self) -> Result<Token, HttpError> {
        self.cache.get_or_refresh(|| self.mint()).await
    }

    async fn mint(&self) -> Result<Token, HttpError> {
        let locked = *self
            .locked_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = locked.filter(|u| *u > Instant::now()) {
            return Err(locked_error(
                until.saturating_duration_since(Instant::now()),
                None,
            ));
        }
        let body = TokenRequest {
            grant_type: "client_credentials".into(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            scope: self.scope.clone(),
        };
        // A token request stores nothing a repeat could double, so a 5xx or a cut answer is tried again
        // (a 423 lock is not: the policy never retries it).
        let req = Request::post("/v1/token", self.http.endpoint("/v1/token")?)
            .idempotent(true)
            .json(&body)?;
        self.minted.fetch_add(1, Ordering::Relaxed);
        let resp = match self.http.send(req).await {
            Ok(resp) => resp,
            Err(e) if e.status() == Some(StatusCode::LOCKED) => {
                *self
                    .locked_until
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + LOCK_BACKOFF);
                return Err(locked_error(LOCK_BACKOFF, e.request_id()));
            }
            Err(e) => return Err(e),
        };
        let token: TokenResponse = resp.json()?;
        Ok(Token::new(token.access_token, lifetime(token.expires_in)))
    }
}

/// The part of `expires_in` the token is used for: renewed a fifth of its life (at most a minute) early.
fn lifetime(expires_in: Option<u64>) -> Duration {
    let full = expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
    full.saturating_sub((full / 5).min(MAX_MARGIN))
}

fn locked_error(wait: Duration, request_id: Option<&str>) -> HttpError {
    let mut api = ApiError::new(Method::POST, "/v1/token", StatusCode::LOCKED);
    api.message = Some(crate::error::KEY_LOCKED_ADVICE.to_owned());
    api.retry_after = Some(wait);
    api.request_id = request_id.map(str::to_owned);
    HttpError::from(api)
}

#[async_trait::async_trait]
impl TokenSource for AsioAuth {
    async fn fetch(&self) -> Result<SecretString, HttpError> {
        Ok(self.token().await?.access)
    }

    async fn invalidate(&self) {
        self.cache.invalidate().await;
    }

    async fn invalidate_token(&self, stale: &SecretString) {
        self.cache.invalidate_if(stale).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime_keeps_a_margin_proportional_to_short_tokens() {
        assert_eq!(lifetime(Some(3599)), Duration::from_secs(3539));
        assert_eq!(lifetime(Some(10)), Duration::from_secs(8));
        assert_eq!(lifetime(None), Duration::from_secs(3540));
        assert_eq!(lifetime(Some(0)), Duration::ZERO);
    }
}
