//! Tokens, scopes and rate buckets: the checks every route runs before its own work.

use std::collections::{HashMap, VecDeque};
use std::sync::{MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::{Asio, Shared, gateway_error, json_response};
use crate::auth::{TokenStatus, bearer_token};

/// Every scope id the API knows (the partner scope table).
const KNOWN_SCOPES: [&str; 28] = [
    "platform.agent.delete",
    "platform.agent.read",
    "platform.agent-token.read",
    "platform.asset.read",
    "platform.automation.create",
    "platform.automation.read",
    "platform.companies.read",
    "platform.custom_fields_definitions.read",
    "platform.custom_fields_definitions.write",
    "platform.custom_fields_values.read",
    "platform.custom_fields_values.write",
    "platform.dataMapping.read",
    "platform.deviceGroups.read",
    "platform.devices.read",
    "platform.patching.read",
    "platform.performance.read",
    "platform.policies.create",
    "platform.policies.delete",
    "platform.policies.read",
    "platform.policies.update",
    "platform.rpa.resolve",
    "platform.sites.read",
    "platform.sites.write",
    "platform.tickets.create",
    "platform.tickets.read",
    "platform.tickets.update",
    "security.siem.read",
    "platform.client_billing.write",
];

/// The rate-limit families the fake meters.
pub(super) const FAMILIES: [&str; 6] = [
    "partner",
    "endpoints",
    "asset",
    "device-groups",
    "custom-fields",
    "service",
];

#[derive(Debug, Default)]
pub(super) struct GuardState {
    minted_at: VecDeque<Duration>,
    locked_until: Option<Duration>,
    scopes: HashMap<String, Vec<String>>,
    buckets: HashMap<&'static str, (u64, usize)>,
}

fn state(asio: &Asio) -> MutexGuard<'_, GuardState> {
    asio.guard.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) fn locked(asio: &Asio) -> bool {
    let now = asio.ctx.clock().elapsed();
    state(asio).locked_until.is_some_and(|until| until > now)
}

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/token", post(token))
        .route("/v1/rate_limits", get(rate_limits))
}

fn real_secs(asio: &Asio, virtual_duration: Duration) -> u64 {
    asio.ctx
        .clock()
        .to_real(virtual_duration)
        .as_secs_f64()
        .ceil() as u64
}

async fn token(State(asio): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    let Some(Value::Object(req)) = is_json
        .then(|| serde_json::from_slice(&body).ok())
        .flatten()
    else {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the token request body must be JSON",
        );
    };
    let field = |k: &str| req.get(k).and_then(Value::as_str).unwrap_or_default();
    if field("grant_type") != "client_credentials" {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "use client_credentials",
        );
    }
    let creds = asio.ctx.credentials();
    if field("client_id") != creds.asio_client_id
        || field("client_secret") != creds.asio_client_secret
    {
        return gateway_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
    }
    let scopes: Vec<String> = field("scope")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if let Some(bad) = scopes.iter().find(|s| {
        !KNOWN_SCOPES.contains(&s.as_str())
            || asio
                .opts
                .granted_scopes
                .as_ref()
                .is_some_and(|g| !g.contains(s))
    }) {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!("scope {bad} is not granted to this key"),
        );
    }
    let now = asio.ctx.clock().elapsed();
    {
        let mut g = state(&asio);
        if g.locked_until.is_some_and(|until| until > now) {
            return locked_response();
        }
        let window = asio.opts.token_burst_window;
        while g
            .minted_at
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= window)
        {
            g.minted_at.pop_front();
        }
        if g.minted_at.len() >= asio.opts.token_burst {
            g.locked_until = Some(now + asio.opts.lock_duration);
            return locked_response();
        }
        g.minted_at.push_back(now);
    }
    let token = asio.tokens.issue(asio.opts.token_lifetime);
    let granted = if scopes.is_empty() {
        asio.opts
            .granted_scopes
            .clone()
            .unwrap_or_else(|| KNOWN_SCOPES.iter().map(|s| (*s).to_owned()).collect())
    } else {
        scopes
    };
    let scope_text = granted.join(" ");
    state(&asio).scopes.insert(token.clone(), granted);
    json_response(
        StatusCode::OK,
        json!({"access_token": token, "scope": scope_text, "token_type": "Bearer",
               "expires_in": real_secs(&asio, asio.opts.token_lifetime)}),
    )
}

fn locked_response() -> Response {
    gateway_error(
        StatusCode::LOCKED,
        "locked",
        "too many token requests; the key is locked for a few minutes",
    )
}

/// Authenticates the bearer token, checks `scope` (when the route has one) and takes a request from
/// `family`'s bucket. `Some` is the refusal to send instead of the route's answer.
pub(super) fn check(
    asio: &Asio,
    headers: &HeaderMap,
    family: &'static str,
    scope: Option<&str>,
) -> Option<Response> {
    let token = bearer_token(headers).unwrap_or_default();
    if asio.tokens.check(token) != TokenStatus::Valid {
        return Some(gateway_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized request",
            "The access token provided is expired, revoked, malformed, or invalid for other reasons.",
        ));
    }
    let mut g = state(asio);
    if let Some(scope) = scope
        && !g
            .scopes
            .get(token)
            .is_some_and(|s| s.iter().any(|x| x == scope))
    {
        return Some(gateway_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            &format!("missing scope {scope}"),
        ));
    }
    if asio.opts.rate_limit == 0 {
        return None;
    }
    let (index, into) = window(asio);
    let bucket = g.buckets.entry(family).or_insert((index, 0));
    if bucket.0 != index {
        *bucket = (index, 0);
    }
    if bucket.1 >= asio.opts.rate_limit {
        let wait = asio.opts.rate_window.saturating_sub(into);
        return Some(too_many(asio, wait));
    }
    bucket.1 += 1;
    None
}

/// The current fixed window's index and how far into it the clock is.
fn window(asio: &Asio) -> (u64, Duration) {
    let now = asio.ctx.clock().elapsed();
    let len = asio.opts.rate_window.max(Duration::from_millis(1));
    let index = (now.as_nanos() / len.as_nanos()) as u64;
    let into = Duration::from_nanos((now.as_nanos() % len.as_nanos()) as u64);
    (index, into)
}

fn reset_epoch(asio: &Asio, wait: Duration) -> i64 {
    let now = asio.ctx.clock().now();
    now.timestamp() + i64::try_from(wait.as_secs()).unwrap_or(0) + 1
}

fn too_many(asio: &Asio, wait: Duration) -> Response {
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let pairs = [
        (
            header::RETRY_AFTER.as_str(),
            real_secs(asio, wait).to_string(),
        ),
        ("x-ratelimit-limit", asio.opts.rate_limit.to_string()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", reset_epoch(asio, wait).to_string()),
    ];
    for (name, value) in pairs {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            h.insert(name, value);
        }
    }
    resp
}

async fn rate_limits(State(asio): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(resp) = check(&asio, &headers, "service", None) {
        return resp;
    }
    let (index, into) = window(&asio);
    let wait = asio.opts.rate_window.saturating_sub(into);
    let reset = reset_epoch(&asio, wait);
    let limit = asio.opts.rate_limit;
    let g = state(&asio);
    let mut resources = Map::new();
    for family in FAMILIES {
        let used = g
            .buckets
            .get(family)
            .filter(|b| b.0 == index)
            .map_or(0, |b| b.1);
        let remaining = if limit == 0 {
            Value::Null
        } else {
            json!(limit.saturating_sub(used))
        };
        resources.insert(
            family.to_owned(),
            json!({"requests": {"limit": if limit == 0 { Value::Null } else { json!(limit) }, "remaining": remaining, "reset": reset}}),
        );
    }
    json_response(StatusCode::OK, json!({"resources": resources}))
}
