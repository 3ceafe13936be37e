//! Helpers fakes use to check credentials: Basic and Bearer header parsing and a token store whose tokens
//! expire on the [`SandboxClock`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::clock::SandboxClock;
use crate::rng::SeededRng;

/// The `(user, password)` of an `Authorization: Basic` header, or `None` when absent or malformed.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The token of an `Authorization: Bearer` header, or `None` when absent or another scheme.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// What a presented token turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    /// Issued by this store and not expired.
    Valid,
    /// Issued by this store, past its lifetime on the sandbox clock (or expired by a test).
    Expired,
    /// Never issued here.
    Unknown,
}

/// Access tokens issued by a fake, expiring on the sandbox clock. Cloneable; clones share the tokens.
#[derive(Debug, Clone)]
pub struct TokenStore {
    clock: SandboxClock,
    inner: Arc<Mutex<TokenBook>>,
}

#[derive(Debug)]
struct TokenBook {
    expiries: HashMap<String, Duration>,
    rng: SeededRng,
    issued: u64,
}

impl TokenStore {
    /// An empty store reading `clock`; token strings are drawn from `seed`.
    pub fn new(clock: SandboxClock, seed: u64) -> Self {
        Self {
            clock,
            inner: Arc::new(Mutex::new(TokenBook {
                expiries: HashMap::new(),
                rng: SeededRng::new(seed),
                issued: 0,
            })),
        }
    }

    /// Issues a fresh token valid for `lifetime` of sandbox-clock time.
    pub fn issue(&self, lifetime: Duration) -> String {
        let expires = self.clock.elapsed().saturating_add(lifetime);
        let mut book = self.lock();
        book.issued += 1;
        let token = format!(
            "sbx-{}{:016x}",
            book.rng.uuid().replace('-', ""),
            book.rng.next_u64()
        );
        book.expiries.insert(token.clone(), expires);
        token
    }

    /// Checks a presented token.
    pub fn check(&self, token: &str) -> TokenStatus {
        let now = self.clock.elapsed();
        match self.lock().expiries.get(token) {
            None => TokenStatus::Unknown,
            Some(expires) if *expires <= now => TokenStatus::Expired,
            Some(_) => TokenStatus::Valid,
        }
    }

    /// Expires every token issued so far (a test's "token expired" fault).
    pub fn expire_all(&self) {
        let now = self.clock.elapsed();
        for expiry in self.lock().expiries.values_mut() {
            *expiry = now;
        }
    }

    /// How many tokens were issued (tests count renewals with it).
    pub fn issued(&self) -> u64 {
        self.lock().issued
    }

    /// Every token issued so far, expired ones included (a test looks for them in logs).
    pub fn tokens(&self) -> Vec<String> {
        self.lock().expiries.keys().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, TokenBook> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn parses_basic_and_bearer() {
        let mut h = HeaderMap::new();
        let encoded = STANDARD.encode("acme+pub:priv:with:colons");
        h.insert(
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap(),
        );
        assert_eq!(
            basic_credentials(&h),
            Some(("acme+pub".into(), "priv:with:colons".into()))
        );
        assert_eq!(bearer_token(&h), None);
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer_token(&h), Some("abc"));
        assert_eq!(basic_credentials(&h), None);
    }

    #[test]
    fn tokens_expire_on_the_sandbox_clock() {
        let clock = SandboxClock::new(0.0);
        let store = TokenStore::new(clock.clone(), 5);
        let t = store.issue(Duration::from_secs(100));
        assert_eq!(store.check(&t), TokenStatus::Valid);
        assert_eq!(store.check("nope"), TokenStatus::Unknown);
        clock.advance(Duration::from_secs(100));
        assert_eq!(store.check(&t), TokenStatus::Expired);
        let t2 = store.issue(Duration::from_secs(100));
        store.expire_all();
        assert_eq!(store.check(&t2), TokenStatus::Expired);
        assert_eq!(store.issued(), 2);
        let mut all = store.tokens();
        all.sort();
        let mut expected = vec![t, t2];
        expected.sort();
        assert_eq!(all, expected);
    }
}
