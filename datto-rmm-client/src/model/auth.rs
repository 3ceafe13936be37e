//! `POST /auth/oauth/token` response and error bodies.

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

/// The token response of the password grant. The access token is a secret and never printed.
#[derive(Deserialize)]
pub struct TokenResponse {
    /// Bearer token (a JWT).
    #[serde(deserialize_with = "secret")]
    pub access_token: SecretString,
    /// Token type ("bearer").
    #[serde(default)]
    pub token_type: Option<String>,
    /// Lifetime in seconds (100 h documented).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub expires_in: Option<i64>,
    /// Scope.
    #[serde(default)]
    pub scope: Option<String>,
    /// JWT id.
    #[serde(default)]
    pub jti: Option<String>,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    String::deserialize(d).map(SecretString::from)
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// A Spring-OAuth2 style error body (`{"error", "error_description"}`); also used to read Spring's default
/// `{"error", "message"}` error bodies of the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OAuthError {
    /// Error code (e.g. `invalid_grant`).
    #[serde(default)]
    pub error: Option<String>,
    /// Description (e.g. "Bad credentials").
    #[serde(default, alias = "message")]
    pub error_description: Option<String>,
}
