//! The ConnectWise Asio fake: `POST /v1/token` (JSON client credentials, expiry on the sandbox clock, 423
//! after token spam), companies and sites paged by an opaque `Link` cursor, v2 devices by POST with body
//! limits (400 beyond 4 companies, 10 sites or 500 endpoints) and an integer `Link` cursor, legacy v1
//! devices, device groups, custom fields (PUT persisted), tickets v2 paged by `pageNum`/`pageSize` with
//! replace-only PATCH, notes and lookup tables, `GET /v1/rate_limits`, per-scope 403s and per-family rate
//! buckets in fixed 10-minute windows on the sandbox clock (429 with `Retry-After` and reset headers).
//!
//! The wire JSON is rendered here from the vendor-neutral tenant; this module shares no code with the
//! client crate.

mod company;
mod data;
mod devices;
mod guard;
mod tickets;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Sandbox;
use crate::auth::TokenStore;
use crate::context::FakeContext;

/// How the Asio fake behaves; put one in `SandboxOptions::vendor_option` to change the defaults.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AsioOptions {
    /// Lifetime of an access token in sandbox time (`expires_in` is reported in real seconds).
    pub token_lifetime: Duration,
    /// Tokens a key may mint per `token_burst_window` before it is locked (423).
    pub token_burst: usize,
    /// The window of `token_burst`.
    pub token_burst_window: Duration,
    /// How long a locked key stays locked.
    pub lock_duration: Duration,
    /// Requests per resource family per `rate_window` before 429 (0 = unlimited).
    pub rate_limit: usize,
    /// The fixed rate window (10 minutes on the real API).
    pub rate_window: Duration,
    /// Answer 405 to POST on the v2 device list (tenants that want GET with a body).
    pub device_list_get_only: bool,
    /// Scopes the key was granted; `None` grants every scope.
    pub granted_scopes: Option<Vec<String>>,
}

impl Default for AsioOptions {
    fn default() -> Self {
        Self {
            token_lifetime: Duration::from_secs(3599),
            token_burst: 10,
            token_burst_window: Duration::from_secs(60),
            lock_duration: Duration::from_secs(300),
            rate_limit: 0,
            rate_window: Duration::from_secs(600),
            device_list_get_only: false,
            granted_scopes: None,
        }
    }
}

impl AsioOptions {
    /// Sets the token lifetime.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Sets how many tokens per window lock the key.
    pub fn token_burst(mut self, tokens: usize, window: Duration) -> Self {
        self.token_burst = tokens;
        self.token_burst_window = window;
        self
    }

    /// Sets the per-family request budget per window.
    pub fn rate_limit(mut self, limit: usize, window: Duration) -> Self {
        self.rate_limit = limit;
        self.rate_window = window;
        self
    }

    /// Makes the v2 device list refuse POST (405) and accept GET with a body.
    pub fn device_list_get_only(mut self, on: bool) -> Self {
        self.device_list_get_only = on;
        self
    }

    /// Grants only these scopes.
    pub fn granted_scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.granted_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }
}

/// The fake's shared state.
#[derive(Debug)]
struct Asio {
    ctx: FakeContext,
    opts: AsioOptions,
    tokens: TokenStore,
    data: Mutex<data::Data>,
    guard: Mutex<guard::GuardState>,
}

impl Asio {
    fn data(&self) -> MutexGuard<'_, data::Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

type Shared = Arc<Asio>;

/// Test handle on the Asio fake's state (from [`Sandbox::asio_control`]).
#[derive(Debug, Clone)]
pub struct AsioControl {
    asio: Shared,
}

impl AsioControl {
    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.asio.tokens.issued()
    }

    /// Every access token issued so far (a test looks for them in logs).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.asio.tokens.tokens()
    }

    /// Expires every token issued so far (the next call with one gets 401).
    pub fn expire_tokens(&self) {
        self.asio.tokens.expire_all();
    }

    /// True while the key is locked for token spam.
    pub fn key_locked(&self) -> bool {
        guard::locked(&self.asio)
    }

    /// Number of endpoints served.
    pub fn endpoint_count(&self) -> usize {
        self.asio.data().endpoints.len()
    }

    /// Ids of the companies served, in list order.
    pub fn company_ids(&self) -> Vec<String> {
        self.asio
            .data()
            .companies
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// A stored ticket, as the API would return it.
    pub fn ticket(&self, id: &str) -> Option<Value> {
        self.asio
            .data()
            .tickets
            .iter()
            .find(|t| t["id"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(id)))
            .cloned()
    }

    /// Every stored ticket.
    pub fn tickets(&self) -> Vec<Value> {
        self.asio.data().tickets.clone()
    }

    /// A stored custom-field value of an entity (`None` when never written).
    pub fn custom_field_value(&self, entity_id: &str, attribute_id: &str) -> Option<String> {
        self.asio
            .data()
            .values
            .get(&(data::key(entity_id), data::key(attribute_id)))
            .cloned()
            .flatten()
    }
}

impl Sandbox {
    /// The Asio fake's control handle.
    pub fn asio_control(&self) -> Option<Arc<AsioControl>> {
        self.control::<AsioControl>()
    }
}

/// The Asio fake's routes.
pub(crate) fn router(ctx: FakeContext) -> Router {
    let opts = ctx
        .option::<AsioOptions>()
        .map(|o| (*o).clone())
        .unwrap_or_default();
    let data = data::Data::from_tenant(ctx.tenant(), ctx.seed(), ctx.clock().now());
    let asio = Arc::new(Asio {
        tokens: TokenStore::new(ctx.clock().clone(), ctx.seed() ^ 0xA510),
        opts,
        data: Mutex::new(data),
        guard: Mutex::new(guard::GuardState::default()),
        ctx: ctx.clone(),
    });
    ctx.publish_control(AsioControl { asio: asio.clone() });
    Router::new()
        .merge(guard::routes())
        .merge(company::routes())
        .merge(devices::routes())
        .merge(tickets::routes())
        .with_state(asio)
}

/// `{"error", "description"}`: the gateway and custom-field shape.
fn gateway_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": error, "description": description})),
    )
        .into_response()
}

/// `{"code", "message"}`: the v2 device shape.
fn code_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}

/// `[{"code", "message"}]`: the ticket shape.
fn ticket_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!([{"code": code, "message": message}])),
    )
        .into_response()
}

/// `{"id", "message", "type"}`: the device-group shape.
fn group_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"id": "", "message": message, "type": status.canonical_reason()})),
    )
        .into_response()
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}
