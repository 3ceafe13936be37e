//! Scrubbing secrets out of text that may end up in errors or logs (body snippets, vendor messages).

use std::fmt;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use regex::Regex;
use secrecy::{ExposeSecret, SecretString};

/// What a scrubbed secret is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Secrets registered with a redactor stay at most this many (bearer tokens are renewed for ever).
const MAX_SECRETS: usize = 32;

/// Credential-looking text: auth headers, and JSON or form fields named like secrets.
static CREDENTIAL_FIELD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?P<keep>(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?|["']?\b(?:access_token|refresh_token|id_token|token|password|secret|api_?secret|private_?key|client_secret)["']?\s*[:=]\s*["']?)(?P<secret>[^"'\s,;&}<]+)"#,
    )
    .ok()
});

/// An auth scheme followed by something shaped like a credential (not ordinary prose such as "basic auth").
static CREDENTIAL_SCHEME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<keep>\b(?:bearer|basic)\s+)(?P<secret>[A-Za-z0-9+/=._~-]{8,})").ok()
});

/// Scrubs registered secret strings, and anything that looks like a credential, from text.
/// Cloning shares the registered secrets, so a token renewed later is scrubbed everywhere.
///
/// ```
/// use psa_rmm_core::http::{Redactor, SecretString};
///
/// let redactor = Redactor::new();
/// redactor.register(&SecretString::from("s3cr3t-key"));
/// let clean = redactor.redact(r#"{"message":"bad key s3cr3t-key","Authorization":"Basic Zm9v"}"#);
/// assert!(!clean.contains("s3cr3t-key") && !clean.contains("Zm9v"));
/// ```
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<SecretString>>>,
}

impl Redactor {
    /// A redactor with no registered secrets (it still scrubs credential-looking text).
    pub fn new() -> Self {
        Self::default()
    }

    /// Scrub this secret from now on. Empty secrets are ignored; the oldest of many are forgotten.
    pub fn register(&self, secret: &SecretString) {
        let value = secret.expose_secret();
        if value.is_empty() {
            return;
        }
        let mut secrets = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        if secrets.iter().any(|s| s.expose_secret() == value) {
            return;
        }
        if secrets.len() >= MAX_SECRETS {
            secrets.remove(0);
        }
        secrets.push(secret.clone());
    }

    /// Scrub a plain string secret (e.g. a public key half that should not be logged either).
    pub fn register_str(&self, secret: &str) {
        self.register(&SecretString::from(secret));
    }

    /// `text` with every registered secret and credential-looking value replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        {
            let secrets = self.secrets.read().unwrap_or_else(PoisonError::into_inner);
            // Longest first, so a secret containing another is not left half-visible.
            let mut values: Vec<&str> = secrets.iter().map(|s| s.expose_secret()).collect();
            values.sort_by_key(|v| std::cmp::Reverse(v.len()));
            for value in values {
                if out.contains(value) {
                    out = out.replace(value, REDACTED);
                }
            }
        }
        for re in [&CREDENTIAL_FIELD, &CREDENTIAL_SCHEME]
            .into_iter()
            .filter_map(|re| re.as_ref())
        {
            out = re
                .replace_all(&out, format!("${{keep}}{REDACTED}"))
                .into_owned();
        }
        out
    }

    /// [`redact`](Self::redact) a body and cut it to at most `max_bytes` (on a character boundary),
    /// marking the cut with `…`. Invalid UTF-8 is replaced, never an error.
    pub fn snippet(&self, body: &[u8], max_bytes: usize) -> String {
        // Read a little past the limit so a secret straddling the cut is still recognised whole.
        let window = &body[..body.len().min(max_bytes.saturating_add(4096))];
        let text = self.redact(&String::from_utf8_lossy(window));
        if text.len() <= max_bytes && window.len() == body.len() {
            return text;
        }
        let mut end = max_bytes.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &text[..end])
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.secrets.read().map_or(0, |s| s.len());
        f.debug_struct("Redactor").field("secrets", &count).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_registered_and_credential_looking_values() {
        let r = Redactor::new();
        r.register_str("hunter2hunter2");
        r.register_str("");
        let text = r#"{"error":"invalid_grant","password":"pw-123","access_token":"eyJabc.def"} Authorization: Bearer tok-9 hunter2hunter2 basic QUJDREVGR0g= basic auth failed"#;
        let out = r.redact(text);
        for leaked in [
            "hunter2hunter2",
            "pw-123",
            "eyJabc.def",
            "tok-9",
            "QUJDREVGR0g",
        ] {
            assert!(!out.contains(leaked), "{leaked} leaked in {out}");
        }
        assert!(
            out.contains("invalid_grant") && out.contains("basic auth failed"),
            "ordinary text kept: {out}"
        );
        assert!(format!("{r:?}").contains("secrets: 1"));
        assert!(!format!("{r:?}").contains("hunter2"));
    }

    #[test]
    fn snippet_truncates_on_char_boundary_and_redacts_across_the_cut() {
        let r = Redactor::new();
        r.register_str("SECRETSECRET");
        let mut body = "é".repeat(1500).into_bytes();
        body.extend_from_slice(b"SECRETSECRET");
        let s = r.snippet(&body, 2048);
        assert!(s.len() <= 2048 + "…".len());
        assert!(s.ends_with('…'));
        assert!(!s.contains("SECRET"));
        assert_eq!(r.snippet(b"short", 2048), "short");
        assert_eq!(r.snippet(&[0xff, b'a'], 2048), "\u{fffd}a");
        let near_cut = [vec![b'x'; 2040], b"SECRETSECRET".to_vec()].concat();
        assert!(
            !r.snippet(&near_cut, 2048).contains("SECR"),
            "no half secret at the cut"
        );
    }

    #[test]
    fn keeps_a_bounded_number_of_secrets() {
        let r = Redactor::new();
        for i in 0..100 {
            r.register_str(&format!("token-{i:03}"));
        }
        assert!(!r.redact("token-099").contains("token-099"));
        assert_eq!(r.secrets.read().unwrap().len(), MAX_SECRETS);
    }

    proptest::proptest! {
        #[test]
        fn snippet_never_panics_and_respects_the_limit(body in proptest::collection::vec(proptest::num::u8::ANY, 0..2600), max in 0usize..3000) {
            let r = Redactor::new();
            r.register_str("abc");
            let s = r.snippet(&body, max);
            proptest::prop_assert!(s.len() <= max + "…".len());
            proptest::prop_assert!(!s.contains("abc"));
        }
    }
}
