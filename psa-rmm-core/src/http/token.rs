//! OAuth access tokens: a single-flight cache, and the trait a vendor client plugs its token endpoint into.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::sync::RwLock;
use tokio::time::Instant;

use super::HttpError;

/// An access token and when it stops working.
#[derive(Clone)]
pub struct Token {
    /// The bearer value.
    pub access: SecretString,
    /// When the server stops accepting it.
    pub expires_at: Instant,
}

impl Token {
    /// A token valid for `expires_in` from now (as OAuth's `expires_in` field says).
    pub fn new(access: SecretString, expires_in: Duration) -> Self {
        let now = Instant::now();
        Self {
            access,
            expires_at: now
                .checked_add(expires_in)
                .unwrap_or(now + Duration::from_secs(86_400 * 365)),
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access", &"[REDACTED]")
            .field(
                "expires_in",
                &self.expires_at.saturating_duration_since(Instant::now()),
            )
            .finish()
    }
}

/// Caches one token; concurrent callers that find it missing or about to expire share one fetch.
///
/// ```
/// use std::time::Duration;
/// use psa_rmm_core::http::{HttpError, SecretString, Token, TokenCache};
///
/// # async fn demo() -> Result<(), HttpError> {
/// let cache = TokenCache::new(Duration::from_secs(300)); // renew 5 minutes before expiry
/// let token = cache
///     .get_or_refresh(|| async {
///         // POST to the vendor's token endpoint here.
///         Ok::<_, HttpError>(Token::new(SecretString::from("eyJ..."), Duration::from_secs(3600)))
///     })
///     .await?;
/// # let _ = token;
/// cache.invalidate().await; // after a 401
/// # Ok(()) }
/// ```
pub struct TokenCache {
    current: RwLock<Option<Token>>,
    margin: Duration,
}

impl TokenCache {
    /// A cache that renews tokens `margin` before they expire.
    pub fn new(margin: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            margin,
        }
    }

    /// The cached token, or a fresh one from `fetch` when none is cached or it expires within the margin.
    /// While one caller fetches, the others wait for its result instead of fetching too. A failed fetch
    /// is returned to the caller that ran it; the next caller tries again.
    pub async fn get_or_refresh<F, Fut, E>(&self, fetch: F) -> Result<Token, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, E>>,
    {
        if let Some(token) = self.fresh(&*self.current.read().await) {
            return Ok(token);
        }
        let mut slot = self.current.write().await;
        // Someone else may have renewed it while we waited for the write lock.
        if let Some(token) = self.fresh(&slot) {
            return Ok(token);
        }
        let token = fetch().await?;
        *slot = Some(token.clone());
        Ok(token)
    }

    /// Forget the cached token (the server answered 401), so the next call fetches a new one.
    pub async fn invalidate(&self) {
        *self.current.write().await = None;
    }

    /// Forget the cached token only if it is still `stale` (the one the server refused). When many
    /// requests get a 401 for the same token at once, the first renews it and the rest keep the new one.
    pub async fn invalidate_if(&self, stale: &SecretString) {
        let mut slot = self.current.write().await;
        if slot
            .as_ref()
            .is_some_and(|t| t.access.expose_secret() == stale.expose_secret())
        {
            *slot = None;
        }
    }

    fn fresh(&self, slot: &Option<Token>) -> Option<Token> {
        slot.as_ref()
            .filter(|t| t.expires_at.saturating_duration_since(Instant::now()) > self.margin)
            .cloned()
    }
}

impl Default for TokenCache {
    /// Renews one minute before expiry.
    fn default() -> Self {
        Self::new(Duration::from_secs(60))
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// Where bearer tokens come from: a vendor client implements this over its token endpoint (typically with
/// a [`TokenCache`] inside), and [`HttpCore`](super::HttpCore) calls it per attempt and on a 401.
#[async_trait::async_trait]
pub trait TokenSource: Send + Sync {
    /// The current access token, fetching one if needed.
    async fn fetch(&self) -> Result<SecretString, HttpError>;
    /// Drop the current token: the server refused it.
    async fn invalidate(&self);
    /// Drop the current token if it is still `stale`, the one the server refused (HttpCore calls this on a
    /// 401). Override with [`TokenCache::invalidate_if`] so concurrent 401s renew only once.
    async fn invalidate_token(&self, stale: &SecretString) {
        let _ = stale;
        self.invalidate().await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn twenty_callers_at_expiry_share_one_fetch() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(30)));
        // Expires within the margin: every caller sees it as due for renewal.
        *cache.current.write().await = Some(Token::new("old".into(), Duration::from_secs(10)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(tokio::sync::Barrier::new(20));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (cache, fetches, start) = (cache.clone(), fetches.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    cache
                        .get_or_refresh(|| async {
                            fetches.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            Ok::<_, HttpError>(Token::new("new".into(), Duration::from_secs(3600)))
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().access.expose_secret(), "new");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn renews_within_margin_invalidates_and_retries_after_failure() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let fetch = |v: &'static str, secs| {
            move || async move { Ok::<_, HttpError>(Token::new(v.into(), Duration::from_secs(secs))) }
        };
        assert_eq!(
            cache
                .get_or_refresh(fetch("a", 3600))
                .await
                .unwrap()
                .access
                .expose_secret(),
            "a"
        );
        assert_eq!(
            cache
                .get_or_refresh(fetch("b", 3600))
                .await
                .unwrap()
                .access
                .expose_secret(),
            "a",
            "cached"
        );
        cache.invalidate().await;
        assert_eq!(
            cache
                .get_or_refresh(fetch("c", 30))
                .await
                .unwrap()
                .access
                .expose_secret(),
            "c"
        );
        assert_eq!(
            cache
                .get_or_refresh(fetch("d", 3600))
                .await
                .unwrap()
                .access
                .expose_secret(),
            "d",
            "a token inside the margin is renewed"
        );
        cache.invalidate().await;
        let err = cache
            .get_or_refresh(|| async { Err::<Token, _>(HttpError::InvalidRequest("down".into())) })
            .await;
        assert!(err.is_err());
        assert_eq!(
            cache
                .get_or_refresh(fetch("e", 3600))
                .await
                .unwrap()
                .access
                .expose_secret(),
            "e"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("super-secret-token".into(), Duration::from_secs(5));
        assert!(!format!("{token:?}").contains("super-secret-token"));
    }
}
