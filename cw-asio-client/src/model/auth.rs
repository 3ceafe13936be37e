//! The token endpoint (`POST /v1/token`): a JSON body, not a form.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Body of `POST /v1/token`. `Debug` never shows the secret.
#[derive(Clone)]
pub struct TokenRequest {
    /// Always `client_credentials`.
    pub grant_type: String,
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: SecretString,
    /// Space-separated scope ids.
    pub scope: String,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("scope", &self.scope)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct TokenRequestWire<'a> {
    grant_type: std::borrow::Cow<'a, str>,
    client_id: std::borrow::Cow<'a, str>,
    client_secret: std::borrow::Cow<'a, str>,
    #[serde(default)]
    scope: std::borrow::Cow<'a, str>,
}

impl Serialize for TokenRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        TokenRequestWire {
            grant_type: self.grant_type.as_str().into(),
            client_id: self.client_id.as_str().into(),
            client_secret: self.client_secret.expose_secret().into(),
            scope: self.scope.as_str().into(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for TokenRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = TokenRequestWire::deserialize(d)?;
        Ok(Self {
            grant_type: w.grant_type.into_owned(),
            client_id: w.client_id.into_owned(),
            client_secret: SecretString::from(w.client_secret.into_owned()),
            scope: w.scope.into_owned(),
        })
    }
}

/// Response of `POST /v1/token`. There is no refresh token. `Debug` never shows the token.
#[derive(Clone)]
pub struct TokenResponse {
    /// Bearer token.
    pub access_token: SecretString,
    /// Granted scopes.
    pub scope: Option<String>,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// Lifetime in seconds (about 3599).
    pub expires_in: Option<u64>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[REDACTED]")
            .field("scope", &self.scope)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl<'de> Deserialize<'de> for TokenResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(alias = "accessToken")]
            access_token: String,
            #[serde(default)]
            scope: Option<String>,
            #[serde(default, alias = "tokenType")]
            token_type: Option<String>,
            #[serde(
                default,
                alias = "expiresIn",
                deserialize_with = "psa_rmm_core::wire::opt_i64"
            )]
            expires_in: Option<i64>,
        }
        let w = Wire::deserialize(d)?;
        Ok(Self {
            access_token: SecretString::from(w.access_token),
            scope: w.scope,
            token_type: w.token_type,
            expires_in: w.expires_in.and_then(|s| u64::try_from(s).ok()),
        })
    }
}
