//! OAuth tokens: the password grant at `{origin}/auth/oauth/token` with the fixed public client, cached in the
//! runtime's single-flight [`TokenCache`].

use std::sync::atomic::Ordering;
use std::time::Duration;

use psa_rmm_core::http::{
    Auth, ExposeSecret, HttpCore, HttpError, Request, SecretString, Token, TokenCache,
};
use reqwest::StatusCode;
use reqwest::header::HeaderValue;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::TokenResponse;

/// Documented token lifetime, used when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(100 * 3600);

pub(crate) struct Tokens {
    core: HttpCore,
    api_key: String,
    api_secret: SecretString,
    renew_at: f64,
    cache: TokenCache,
    // Serialises "invalidate if still the rejected token" so a burst of 401s renews once.
    invalidating: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("token_url", &self.core.base_url().as_str())
            .field("api_key", &self.api_key)
            .field("api_secret", &"[redacted]")
            .finish()
    }
}

/// A token fetch that refused to run: the cache is only being read.
struct NotCached;

impl Tokens {
    pub(crate) fn new(
        core: HttpCore,
        api_key: String,
        api_secret: SecretString,
        renew_at: f64,
    ) -> Self {
        Self {
            core,
            api_key,
            api_secret,
            renew_at: renew_at.clamp(0.05, 1.0),
            // The renewal point is folded into each token's lifetime, so no extra margin here.
            cache: TokenCache::new(Duration::ZERO),
            invalidating: tokio::sync::Mutex::new(()),
        }
    }

    /// The current token; concurrent callers share one token request.
    pub(crate) async fn get(&self, client: &Client) -> Result<SecretString> {
        let token = self.cache.get_or_refresh(|| self.request(client)).await?;
        Ok(token.access)
    }

    /// Drops the cached token if it is still the one the server rejected; a token renewed meanwhile by
    /// another caller is kept, so twenty 401s at expiry cause one token request.
    pub(crate) async fn invalidate_if_current(&self, rejected: &SecretString) {
        let _one_at_a_time = self.invalidating.lock().await;
        let current = self
            .cache
            .get_or_refresh(|| async { Err::<Token, _>(NotCached) })
            .await;
        if let Ok(current) = current
            && current.access.expose_secret() == rejected.expose_secret()
        {
            self.cache.invalidate().await;
        }
    }

    async fn request(&self, client: &Client) -> Result<Token> {
        client
            .counters()
            .token_requests
            .fetch_add(1, Ordering::Relaxed);
        let url = self.core.endpoint("/auth/oauth/token")?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "password")
            .append_pair("username", &self.api_key)
            .append_pair("password", self.api_secret.expose_secret())
            .finish();
        // A token request stores nothing a repeat could double, so a 5xx or a cut answer is tried again.
        let req = Request::post("/auth/oauth/token", url)
            .idempotent(true)
            .body(
                form.into_bytes(),
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .auth(Auth::Basic(
                "public-client".into(),
                SecretString::from("public"),
            ));
        let resp = self.core.send(req).await.map_err(auth_error)?;
        let body: TokenResponse = resp.json().map_err(Error::Auth)?;
        if body.access_token.expose_secret().trim().is_empty() {
            return Err(Error::Auth(HttpError::InvalidRequest(
                "the token answer holds an empty access_token".into(),
            )));
        }
        self.core.redactor().register(&body.access_token);
        let lifetime = body
            .expires_in
            .and_then(|s| u64::try_from(s).ok())
            .filter(|s| *s > 0)
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok(Token::new(
            body.access_token,
            lifetime.mul_f64(self.renew_at),
        ))
    }
}

fn auth_error(e: HttpError) -> Error {
    match e.status() {
        Some(StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
            Error::Auth(e)
        }
        _ => Error::Http(e),
    }
}
