//! The fake ConnectWise Manage (PSA) server.
//!
//! Paths: `GET /login/companyinfo/{company}` (no auth) gives the codebase; the API lives under
//! `/{codebase}apis/3.0/` (default `v4_6_release/`; [`ManageControl::set_codebase`] simulates a cloud
//! upgrade, after which the old codebase answers 404). Every API call needs Basic auth
//! `{companyId}+{publicKey}:{privateKey}` (else 401) and a `clientId` header (else 403). Lists take
//! `conditions`, `childConditions`, `customFieldConditions`, `orderBy`, `fields`, `page`, `pageSize` (default
//! 25, capped at 1000) or forward-only paging (`pagination-type: forward-only` + `pageId`), with `Link`
//! headers; `/count` and `POST .../search` use the same filters. Writes: POST, PUT, PATCH (JSON Patch) and
//! DELETE where the vendor allows them, persisted in memory. Past `ManageOptions::rate_limit` requests per
//! window of sandbox time the fake answers 429 with `Retry-After` and the vendor's `{error, message}` body.

mod conditions;
mod list;
mod seed;
mod store;
mod write;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};

use crate::auth::basic_credentials;
use crate::{FakeContext, ManageOptions, Sandbox, WindowLimiter};
use store::Store;

/// The version the fake reports (`api-current-version`, `system/info`).
const VERSION: &str = "2025.8";

/// Shared state of the Manage fake.
#[derive(Debug)]
pub(crate) struct ManageState {
    ctx: FakeContext,
    store: RwLock<Store>,
    knobs: Mutex<Knobs>,
    limiter: WindowLimiter,
    href_base: String,
}

#[derive(Debug)]
struct Knobs {
    codebase: String,
    ignored_patches: u32,
}

impl ManageState {
    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn knobs(&self) -> MutexGuard<'_, Knobs> {
        self.knobs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Test handle on the Manage fake: change the codebase, make PATCHes lie, read and edit records behind the
/// API's back. Get it with [`Sandbox::manage_control`].
#[derive(Debug, Clone)]
pub struct ManageControl {
    state: Arc<ManageState>,
}

impl ManageControl {
    /// The codebase `login/companyinfo` currently returns (e.g. `"v4_6_release/"`).
    pub fn codebase(&self) -> String {
        self.state.knobs().codebase.clone()
    }

    /// Moves the API to another codebase (a cloud upgrade): paths under the old one answer 404 from now on.
    /// A missing trailing slash is added.
    pub fn set_codebase(&self, codebase: &str) {
        let mut codebase = codebase.trim_matches('/').to_owned();
        codebase.push('/');
        self.state.knobs().codebase = codebase;
    }

    /// The next `n` PATCH requests answer 200 with the unchanged record, without applying anything (the
    /// vendor's "false 200").
    pub fn ignore_next_patches(&self, n: u32) {
        self.state.knobs().ignored_patches = n;
    }

    /// A record as stored, by collection path below `apis/3.0/` (e.g. `"company/configurations"`) and id.
    pub fn record(&self, collection: &str, id: i64) -> Option<Value> {
        let table = table_of(collection)?;
        self.state.read().table(table)?.get(id)
    }

    /// Number of records in a collection (all parents, for child collections).
    pub fn count(&self, collection: &str) -> usize {
        table_of(collection)
            .and_then(|t| self.state.read().table(t).map(|t| t.rows.len()))
            .unwrap_or(0)
    }

    /// Ids of the records in a collection, ascending (all parents, for child collections).
    pub fn ids(&self, collection: &str) -> Vec<i64> {
        table_of(collection)
            .and_then(|t| {
                let state = self.state.read();
                state.table(t).map(|t| t.rows.keys().copied().collect())
            })
            .unwrap_or_default()
    }

    /// Every record of a collection as stored, in id order (all parents, for child collections).
    pub fn records(&self, collection: &str) -> Vec<Value> {
        let Some(table) = table_of(collection) else {
            return Vec::new();
        };
        let state = self.state.read();
        let Some(table) = state.table(table) else {
            return Vec::new();
        };
        table.rows.keys().filter_map(|id| table.get(*id)).collect()
    }

    /// Deletes a record behind the API's back (a deletion made by a user in the PSA); true when it existed.
    pub fn remove(&self, collection: &str, id: i64) -> bool {
        let Some(table) = table_of(collection) else {
            return false;
        };
        self.state
            .write()
            .table_mut(table)
            .rows
            .remove(&id)
            .is_some()
    }

    /// Stores `record` under `id` behind the API's back (a change made by a user in the PSA).
    pub fn put(&self, collection: &str, id: i64, record: Value) -> bool {
        let Some(table) = table_of(collection) else {
            return false;
        };
        let mut record = record;
        if let Value::Object(map) = &mut record {
            map.insert("id".into(), json!(id));
        }
        self.state.write().table_mut(table).put(id, &record);
        true
    }
}

fn table_of(collection: &str) -> Option<&'static str> {
    let segments: Vec<&str> = collection.split('/').filter(|s| !s.is_empty()).collect();
    store::route(&segments)
        .filter(|r| r.rest.is_empty())
        .map(|r| r.resource.table)
}

impl Sandbox {
    /// The Manage fake's test handle.
    pub fn manage_control(&self) -> Option<Arc<ManageControl>> {
        self.control::<ManageControl>()
    }
}

/// Builds the Manage fake and publishes its [`ManageControl`].
pub(crate) fn router(ctx: FakeContext) -> Router {
    let options = ctx
        .option::<ManageOptions>()
        .map(|o| (*o).clone())
        .unwrap_or_default();
    let href_base = format!("{}/v4_6_release/apis/3.0/", ctx.base_url());
    let store = seed::seed(ctx.tenant(), ctx.clock().now(), &href_base);
    let state = Arc::new(ManageState {
        limiter: WindowLimiter::new(ctx.clock().clone(), options.rate_limit, options.rate_window),
        store: RwLock::new(store),
        knobs: Mutex::new(Knobs {
            codebase: options.codebase.clone(),
            ignored_patches: 0,
        }),
        href_base,
        ctx: ctx.clone(),
    });
    ctx.publish_control(ManageControl {
        state: state.clone(),
    });
    Router::new()
        .route("/login/companyinfo/{company}", get(company_info))
        .route("/{codebase}/apis/3.0/{*rest}", any(api))
        .fallback(endpoint_missing)
        .with_state(state)
}

/// A JSON response with the headers every Manage answer carries.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert("api-current-version", HeaderValue::from_static(VERSION));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-cw-request-id", id);
    }
    response
}

/// The vendor's `{code, message}` error body.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        status,
        json!({"code": code, "message": message}).to_string(),
    )
}

/// The vendor's `InvalidObject` body with validation errors.
pub(crate) fn invalid(resource: &str, errors: Vec<Value>) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        json!({"code": "InvalidObject", "message": format!("{resource} object is invalid"), "errors": errors})
            .to_string(),
    )
}

/// One entry of an `InvalidObject` body.
pub(crate) fn field_error(code: &str, message: &str, resource: &str, field: &str) -> Value {
    json!({"code": code, "message": message, "resource": resource, "field": field})
}

async fn endpoint_missing() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "ConnectWiseApi",
        "The endpoint does not exist.",
    )
}

async fn company_info(
    State(state): State<Arc<ManageState>>,
    Path(company): Path<String>,
) -> Response {
    let creds = state.ctx.credentials();
    if !company.eq_ignore_ascii_case(&creds.manage_company_id) {
        return error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("Company {company} not found"),
        );
    }
    let codebase = state.knobs().codebase.clone();
    let cloud = codebase != "v4_6_release/";
    let version = codebase.trim_end_matches('/').replace('_', ".");
    let body = json!({
        "CompanyName": "Sandbox MSP",
        "Codebase": codebase,
        "VersionCode": if cloud { version } else { format!("v{VERSION}") },
        "VersionNumber": "v4.6.10431",
        "CompanyID": creds.manage_company_id,
        "IsCloud": cloud,
        "SiteUrl": state.ctx.base_url().trim_start_matches("http://"),
    });
    json_response(StatusCode::OK, body.to_string())
}

/// Every API call: codebase, auth, clientId, rate limit, then the resource.
async fn api(
    State(state): State<Arc<ManageState>>,
    Path((codebase, rest)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if format!("{codebase}/") != state.knobs().codebase {
        return endpoint_missing().await;
    }
    if let Some(denied) = authenticate(&state, &headers) {
        return denied;
    }
    if let Err(wait) = state.limiter.try_acquire() {
        let seconds = state
            .ctx
            .clock()
            .to_real(wait)
            .as_secs_f64()
            .ceil()
            .max(1.0) as u64;
        let mut response = json_response(
            StatusCode::TOO_MANY_REQUESTS,
            json!({"error": "ConnectWiseAPI",
                   "message": format!("Too many requests. Please try again in {seconds} seconds.")})
            .to_string(),
        );
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() == 2
        && segments[0].eq_ignore_ascii_case("system")
        && segments[1].eq_ignore_ascii_case("info")
    {
        return system_info(&state, &method);
    }
    let Some(route) = store::route(&segments) else {
        return endpoint_missing().await;
    };
    let request = list::Request {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    list::dispatch(&state, &route, &request)
}

/// The 401 or 403 answer a request earns, or `None` when it may proceed.
fn authenticate(state: &ManageState, headers: &HeaderMap) -> Option<Response> {
    let creds = state.ctx.credentials();
    let expected_user = format!("{}+{}", creds.manage_company_id, creds.manage_public_key);
    let authorised = basic_credentials(headers).is_some_and(|(user, password)| {
        user.eq_ignore_ascii_case(&expected_user) && password == creds.manage_private_key
    });
    if !authorised {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authentication failed: check the company id, public key and private key.",
        ));
    }
    let client_id = headers
        .get("clientid")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match client_id {
        Some(id) if id.eq_ignore_ascii_case(&creds.manage_client_id) => None,
        Some(_) => Some(error(
            StatusCode::FORBIDDEN,
            "ConnectWiseApi",
            "The clientId is not valid for this integration.",
        )),
        None => Some(error(
            StatusCode::FORBIDDEN,
            "ConnectWiseApi",
            "A clientId header is required. Obtain one at developer.connectwise.com/ClientID.",
        )),
    }
}

fn system_info(state: &ManageState, method: &Method) -> Response {
    if method != Method::GET {
        return list::method_not_allowed(method);
    }
    let cloud = state.knobs().codebase != "v4_6_release/";
    let body = json!({
        "version": format!("v{VERSION}.10431"),
        "isCloud": cloud,
        "serverTimeZone": "Eastern Standard Time",
        "cloudRegion": "NA",
        "licenseBits": [{"name": "Service", "activeFlag": true}, {"name": "Sales", "activeFlag": true}],
        "maxWorkFlowRecordsAllowed": 250,
    });
    json_response(StatusCode::OK, body.to_string())
}
