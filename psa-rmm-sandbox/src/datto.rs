//! The Datto RMM fake: OAuth password grant with expiring tokens, `{pageDetails, <items>}` pages whose
//! `nextPageUrl` drops filters (as reported of the real API), the account read budget in a rolling window on
//! the sandbox clock with 429s and then the 403 IP block, per-operation write budgets, persisted UDF writes,
//! device moves, warranty dates, resolvable alerts, audits routed by `deviceClass`.
//!
//! Test knobs are on [`DattoControl`] (`sandbox.datto_control()`); behaviour is set with [`DattoOptions`]
//! (`SandboxOptions::default().vendor_option(DattoOptions::default().read_limit(100))`).

mod render;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use self::render::{AlertRec, DeviceRec, SiteRec, ms};
use crate::auth::{TokenStatus, TokenStore, basic_credentials, bearer_token};
use crate::{FakeContext, Sandbox, WindowLimiter};

const ACCOUNT_UID: &str = "sbx4dcc0001";

/// How the Datto fake behaves. Times are on the sandbox clock.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DattoOptions {
    /// Reads (GETs) allowed per window for the whole account (600).
    pub read_limit: usize,
    /// Writes allowed per window, all operations together (600).
    pub write_limit: usize,
    /// Writes allowed per window and operation (100).
    pub operation_limit: usize,
    /// UDF writes allowed per window (`device-udf-set`, 600).
    pub udf_limit: usize,
    /// The rolling window (60 s).
    pub window: Duration,
    /// 429s within one window after which the IP is blocked (3).
    pub block_after: usize,
    /// How long the IP block lasts (5 minutes).
    pub block_for: Duration,
    /// Token lifetime (100 hours).
    pub token_lifetime: Duration,
    /// Largest page (250).
    pub page_max: usize,
    /// `Retry-After` seconds sent with a 429 (none: Datto's is unconfirmed).
    pub retry_after: Option<u64>,
}

impl Default for DattoOptions {
    fn default() -> Self {
        Self {
            read_limit: 600,
            write_limit: 600,
            operation_limit: 100,
            udf_limit: 600,
            window: Duration::from_secs(60),
            block_after: 3,
            block_for: Duration::from_secs(300),
            token_lifetime: Duration::from_secs(100 * 3600),
            page_max: 250,
            retry_after: None,
        }
    }
}

impl DattoOptions {
    /// Sets the read budget per window.
    pub fn read_limit(mut self, n: usize) -> Self {
        self.read_limit = n;
        self
    }

    /// Sets the token lifetime.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Sets how many 429s in one window trigger the block, and how long it lasts.
    pub fn block(mut self, after: usize, duration: Duration) -> Self {
        self.block_after = after;
        self.block_for = duration;
        self
    }

    /// Sends `Retry-After: seconds` with each 429.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

struct Data {
    sites: Vec<SiteRec>,
    site_index: HashMap<String, usize>,
    devices: Vec<DeviceRec>,
    device_index: HashMap<String, usize>,
    alerts: Vec<AlertRec>,
    alert_index: HashMap<String, usize>,
    variables: HashMap<Option<String>, Vec<Value>>,
    jobs: HashMap<String, Value>,
    next_id: i64,
}

#[derive(Default)]
struct Throttle {
    recent_429s: VecDeque<Duration>,
    blocked_until: Option<Duration>,
}

struct Fake {
    ctx: FakeContext,
    opts: DattoOptions,
    tokens: TokenStore,
    reads: WindowLimiter,
    writes: WindowLimiter,
    operations: Mutex<HashMap<&'static str, WindowLimiter>>,
    throttle: Mutex<Throttle>,
    data: Mutex<Data>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Test handle of the Datto fake.
#[derive(Clone)]
pub struct DattoControl {
    fake: Arc<Fake>,
}

impl std::fmt::Debug for DattoControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoControl").finish_non_exhaustive()
    }
}

impl DattoControl {
    /// Expires every token issued so far (the next call with one answers 401).
    pub fn expire_tokens(&self) {
        self.fake.tokens.expire_all();
    }

    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.fake.tokens.issued()
    }

    /// Every access token issued so far (a test looks for them in logs).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.fake.tokens.tokens()
    }

    /// Moves `lastAuditDate` to now on every `nth` device that has an audit; returns their UIDs.
    pub fn touch_audits(&self, nth: usize) -> Vec<String> {
        let now = ms(Some(self.fake.ctx.clock().now()));
        let mut data = lock(&self.fake.data);
        let mut touched = Vec::new();
        for d in data
            .devices
            .iter_mut()
            .filter(|d| d.audit.is_some())
            .step_by(nth.max(1))
        {
            d.json["lastAuditDate"] = now.clone();
            touched.push(d.uid.clone());
        }
        touched
    }

    /// Value of UDF `n` of a device, as stored.
    pub fn udf(&self, device_uid: &str, n: u16) -> Option<String> {
        let data = lock(&self.fake.data);
        let i = data.device_index.get(device_uid)?;
        data.devices[*i].json["udf"][format!("udf{n}")]
            .as_str()
            .map(str::to_owned)
    }

    /// The site UID a device is in.
    pub fn device_site(&self, device_uid: &str) -> Option<String> {
        let data = lock(&self.fake.data);
        let i = data.device_index.get(device_uid)?;
        Some(data.devices[*i].site_uid.clone())
    }

    /// Whether an alert is resolved.
    pub fn alert_resolved(&self, alert_uid: &str) -> Option<bool> {
        let data = lock(&self.fake.data);
        let i = data.alert_index.get(alert_uid)?;
        data.alerts[*i].json["resolved"].as_bool()
    }

    /// Devices served.
    pub fn device_count(&self) -> usize {
        lock(&self.fake.data).devices.len()
    }

    /// Devices with an audit endpoint (class device, esxihost, printer).
    pub fn auditable_count(&self) -> usize {
        lock(&self.fake.data)
            .devices
            .iter()
            .filter(|d| d.audit.is_some())
            .count()
    }

    /// Blocks the IP now for `duration` of sandbox time, as a throttling streak would: every request answers
    /// 403 until it passes (tests of the block that must not starve a later run of its read budget).
    pub fn block_ip(&self, duration: Duration) {
        let until = self.fake.ctx.clock().elapsed() + duration;
        lock(&self.fake.throttle).blocked_until = Some(until);
    }

    /// Whether the IP block is in force now.
    pub fn is_blocked(&self) -> bool {
        self.fake.blocked(self.fake.ctx.clock().elapsed())
    }

    /// The options in force.
    pub fn options(&self) -> &DattoOptions {
        &self.fake.opts
    }
}

impl Sandbox {
    /// The Datto fake's test handle.
    pub fn datto_control(&self) -> Option<Arc<DattoControl>> {
        self.control::<DattoControl>()
    }

    /// The Datto fake's budgets in real time at this sandbox's clock speed: a client paced to them never
    /// meets a 429 from the fake, which counts its windows on the sandbox clock (a clock 60 times faster
    /// than real time allows 600 reads per real second). A frozen clock keeps the sandbox-time windows.
    pub fn datto_budgets(&self) -> DattoBudgets {
        let opts = self
            .datto_control()
            .map(|c| c.options().clone())
            .unwrap_or_default();
        let budget = |requests| RealBudget {
            requests,
            period: self.clock().to_real(opts.window),
        };
        DattoBudgets {
            reads: budget(opts.read_limit),
            writes: budget(opts.write_limit),
            operation: budget(opts.operation_limit),
            udf: budget(opts.udf_limit),
        }
    }
}

/// `requests` per rolling `period` of real (wall-clock) time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealBudget {
    /// Requests allowed in one window.
    pub requests: usize,
    /// The window, in real time.
    pub period: Duration,
}

/// The Datto fake's budgets in real time ([`Sandbox::datto_budgets`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DattoBudgets {
    /// Reads of the whole account.
    pub reads: RealBudget,
    /// All writes together.
    pub writes: RealBudget,
    /// Each write operation but the UDF setter.
    pub operation: RealBudget,
    /// UDF writes (`device-udf-set`).
    pub udf: RealBudget,
}

/// Builds the Datto fake from the sandbox context.
pub(crate) fn router(ctx: FakeContext) -> Router {
    let opts = ctx
        .option::<DattoOptions>()
        .map(|o| (*o).clone())
        .unwrap_or_default();
    let r = render::render(ctx.tenant(), ACCOUNT_UID, ctx.clock().now());
    let index = |keys: Vec<String>| -> HashMap<String, usize> {
        keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect()
    };
    let data = Data {
        site_index: index(r.sites.iter().map(|s| s.uid.clone()).collect()),
        device_index: index(r.devices.iter().map(|d| d.uid.clone()).collect()),
        alert_index: index(r.alerts.iter().map(|a| a.uid.clone()).collect()),
        sites: r.sites,
        devices: r.devices,
        alerts: r.alerts,
        variables: HashMap::new(),
        jobs: HashMap::new(),
        next_id: 9_000_000,
    };
    let clock = ctx.clock().clone();
    let fake = Arc::new(Fake {
        tokens: TokenStore::new(clock.clone(), ctx.seed()),
        reads: WindowLimiter::new(clock.clone(), opts.read_limit, opts.window),
        writes: WindowLimiter::new(clock, opts.write_limit, opts.window),
        operations: Mutex::new(HashMap::new()),
        throttle: Mutex::new(Throttle::default()),
        data: Mutex::new(data),
        opts,
        ctx: ctx.clone(),
    });
    ctx.publish_control(DattoControl { fake: fake.clone() });
    Router::new().fallback(handle).with_state(fake)
}

type Answer = Result<Response, (StatusCode, String)>;

fn ok(v: Value) -> Answer {
    Ok(axum::Json(v).into_response())
}

fn empty() -> Answer {
    Ok(StatusCode::OK.into_response())
}

fn fail(status: StatusCode, message: &str) -> Answer {
    Err((status, message.to_owned()))
}

fn error_body(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "timestamp": null, "status": status.as_u16(),
        "error": status.canonical_reason(), "message": message,
    });
    (status, axum::Json(body)).into_response()
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = fake.ctx.clock().elapsed();
    if fake.blocked(now) {
        return (StatusCode::FORBIDDEN, "Forbidden").into_response();
    }
    let path = uri.path();
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    if path == "/auth/oauth/token" {
        return if method == Method::POST {
            fake.token(&headers, &body)
        } else {
            StatusCode::METHOD_NOT_ALLOWED.into_response()
        };
    }
    let Some(rest) = path.strip_prefix("/api/v2/") else {
        return error_body(StatusCode::NOT_FOUND, "Not Found");
    };
    let segs: Vec<String> = rest.split('/').map(percent_decode).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let public = method == Method::GET && segs == ["system", "status"];
    if !public {
        let status = bearer_token(&headers).map_or(TokenStatus::Unknown, |t| fake.tokens.check(t));
        if status != TokenStatus::Valid {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"error": "invalid_token", "error_description": "Access token expired or invalid"})),
            )
                .into_response();
        }
    }
    if fake.take_budget(&method, &segs).is_err() {
        return fake.throttled(now);
    }
    match fake.route(&method, rest, &segs, &query, &body) {
        Ok(resp) => resp,
        Err((status, message)) => error_body(status, &message),
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

fn op_of(method: &Method, segs: &[&str]) -> &'static str {
    match (method.as_str(), segs) {
        ("POST", ["device", _, "udf"]) => "device-udf-set",
        ("PUT", ["device", _, "site", _]) => "device-move",
        ("POST", ["device", _, "warranty"]) => "device-warranty-create",
        ("PUT", ["device", _, "quickjob"]) => "device-job-create",
        ("POST", ["alert", _, "resolve"]) => "alert-resolve",
        ("PUT", ["site"]) => "site-create",
        ("POST", ["site", _]) => "site-update",
        (_, ["site", ..]) => "site-variable",
        (_, ["account", ..]) => "account-variable",
        _ => "other-write",
    }
}

/// Whether the string at JSON `pointer` of `item` contains `needle` (case-insensitive); no needle, no
/// lookup, so an unfiltered page costs nothing per item of the tenant.
fn like(item: &Value, pointer: &str, needle: Option<&String>) -> bool {
    needle.is_none_or(|n| {
        item.pointer(pointer)
            .and_then(Value::as_str)
            .is_some_and(|v| v.to_lowercase().contains(&n.to_lowercase()))
    })
}

fn mac_key(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Fake {
    fn blocked(&self, now: Duration) -> bool {
        lock(&self.throttle).blocked_until.is_some_and(|u| now < u)
    }

    fn take_budget(&self, method: &Method, segs: &[&str]) -> Result<(), Duration> {
        if *method == Method::GET {
            return self.reads.try_acquire();
        }
        let op = op_of(method, segs);
        let limiter = lock(&self.operations)
            .entry(op)
            .or_insert_with(|| {
                let limit = if op == "device-udf-set" {
                    self.opts.udf_limit
                } else {
                    self.opts.operation_limit
                };
                WindowLimiter::new(self.ctx.clock().clone(), limit, self.opts.window)
            })
            .clone();
        self.writes.try_acquire()?;
        limiter.try_acquire()
    }

    /// A 429; enough of them within one window turn into the IP block.
    fn throttled(&self, now: Duration) -> Response {
        {
            let mut t = lock(&self.throttle);
            t.recent_429s.push_back(now);
            while t
                .recent_429s
                .front()
                .is_some_and(|at| now.saturating_sub(*at) >= self.opts.window)
            {
                t.recent_429s.pop_front();
            }
            if t.recent_429s.len() >= self.opts.block_after.max(1) {
                t.blocked_until = Some(now + self.opts.block_for);
                t.recent_429s.clear();
            }
        }
        let mut resp = error_body(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
        if let Some(secs) = self.opts.retry_after
            && let Ok(v) = secs.to_string().parse()
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }

    fn token(&self, headers: &HeaderMap, body: &[u8]) -> Response {
        let client_ok =
            basic_credentials(headers).is_some_and(|(u, p)| u == "public-client" && p == "public");
        if !client_ok {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"error": "unauthorized", "error_description": "Full authentication is required to access this resource"})),
            )
                .into_response();
        }
        let form: HashMap<String, String> =
            url::form_urlencoded::parse(body).into_owned().collect();
        let creds = self.ctx.credentials();
        let good = form.get("grant_type").map(String::as_str) == Some("password")
            && form.get("username") == Some(&creds.datto_api_key)
            && form.get("password") == Some(&creds.datto_api_secret);
        if !good {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(
                    json!({"error": "invalid_grant", "error_description": "Bad credentials"}),
                ),
            )
                .into_response();
        }
        let token = self.tokens.issue(self.opts.token_lifetime);
        axum::Json(json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": self.opts.token_lifetime.as_secs(),
            "scope": "default",
            "jti": format!("jti-{}", self.tokens.issued()),
        }))
        .into_response()
    }

    /// One page of `items`; only the items on the page are cloned.
    fn page<V: std::borrow::Borrow<Value>>(
        &self,
        items: impl Iterator<Item = V>,
        key: &str,
        rest: &str,
        query: &HashMap<String, String>,
    ) -> Answer {
        let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
        let max: usize = query
            .get("max")
            .and_then(|p| p.parse().ok())
            .unwrap_or(self.opts.page_max)
            .clamp(1, self.opts.page_max);
        let mut total = 0usize;
        let mut out = Vec::new();
        for (i, item) in items.enumerate() {
            total = i + 1;
            if i >= page * max && out.len() < max {
                out.push(item.borrow().clone());
            }
        }
        let base = self.ctx.base_url();
        // The real API has been seen to drop filters from these URLs; so does the fake.
        let url = |n: usize| format!("{base}/api/v2/{rest}?page={n}&max={max}");
        let next = ((page + 1) * max < total).then(|| url(page + 1));
        let prev = (page > 0).then(|| url(page - 1));
        let mut v = json!({"pageDetails": {"count": out.len(), "totalCount": total, "prevPageUrl": prev, "nextPageUrl": next}});
        v[key] = Value::Array(out);
        ok(v)
    }

    fn route(
        &self,
        method: &Method,
        rest: &str,
        segs: &[&str],
        q: &HashMap<String, String>,
        body: &[u8],
    ) -> Answer {
        match (method.as_str(), segs) {
            ("GET", ["system", "status"]) => ok(json!({"version": "sandbox", "status": "OK", "started": ms(Some(self.ctx.clock().now()))})),
            ("GET", ["system", "pagination"]) => ok(json!({"max": self.opts.page_max})),
            ("GET", ["system", "request_rate"]) => ok(self.request_rate()),
            ("GET", ["account"]) => ok(self.account()),
            ("GET", ["account", "sites"]) => {
                let data = lock(&self.data);
                let items = data
                    .sites
                    .iter()
                    .filter(|s| like(&s.json, "/name", q.get("siteName")))
                    .map(|s| &s.json);
                self.page(items, "sites", rest, q)
            }
            ("GET", ["account", "devices"]) => {
                let data = lock(&self.data);
                let items = data
                    .devices
                    .iter()
                    .filter(|d| {
                        like(&d.json, "/hostname", q.get("hostname"))
                            && like(&d.json, "/siteName", q.get("siteName"))
                            && like(&d.json, "/deviceType/category", q.get("deviceType"))
                            && like(&d.json, "/operatingSystem", q.get("operatingSystem"))
                    })
                    .map(|d| &d.json);
                self.page(items, "devices", rest, q)
            }
            ("GET", ["account", "alerts", state]) => self.alerts(rest, q, state, |_| true),
            ("GET", ["account", "variables"]) => self.variables(None, rest, q),
            ("GET", ["account", "users"]) => self.page(
                std::iter::once(json!({"firstName": "Sandbox", "lastName": "Admin", "username": "sbx-admin", "email": "admin@sandbox.invalid", "status": "active", "created": 1_700_000_000_000_i64, "lastAccess": ms(Some(self.ctx.clock().now())), "disabled": false})),
                "users",
                rest,
                q,
            ),
            ("GET", ["account", "components"]) => self.page(std::iter::empty::<Value>(), "components", rest, q),
            ("PUT", ["account", "variable"]) => self.create_variable(None, body),
            ("PUT", ["site"]) => self.create_site(body),
            ("GET", ["site", uid]) => self.with_site(uid, |s| ok(s.json.clone())),
            ("POST", ["site", uid]) => self.update_site(uid, body),
            ("GET", ["site", uid, "settings"]) => self.with_site(uid, |s| {
                ok(json!({"generalSettings": {"name": s.json["name"], "uid": s.uid, "description": s.json["description"], "onDemand": s.json["onDemand"]}, "proxySettings": null, "mailRecipients": []}))
            }),
            ("GET", ["site", uid, "devices"]) => {
                self.with_site(uid, |_| Ok(()))?;
                let data = lock(&self.data);
                let items = data
                    .devices
                    .iter()
                    .filter(|d| d.site_uid == *uid)
                    .map(|d| &d.json);
                self.page(items, "devices", rest, q)
            }
            ("GET", ["site", uid, "devices", "network-interface"]) => {
                self.with_site(uid, |_| Ok(()))?;
                let data = lock(&self.data);
                let items = data.devices.iter().filter(|d| d.site_uid == *uid).map(|d| {
                    let j = &d.json;
                    json!({
                        "id": j["id"], "uid": j["uid"], "siteId": j["siteId"], "siteUid": j["siteUid"],
                        "siteName": j["siteName"], "deviceType": j["deviceType"], "hostname": j["hostname"],
                        "intIpAddress": j["intIpAddress"], "extIpAddress": j["extIpAddress"], "nics": d.nics,
                    })
                });
                self.page(items, "devices", rest, q)
            }
            ("GET", ["site", uid, "alerts", state]) => {
                self.with_site(uid, |_| Ok(()))?;
                self.alerts(rest, q, state, |a| a.site_uid.as_deref() == Some(*uid))
            }
            ("GET", ["site", uid, "variables"]) => self.variables(Some(uid), rest, q),
            ("PUT", ["site", uid, "variable"]) => {
                self.with_site(uid, |_| Ok(()))?;
                self.create_variable(Some(uid), body)
            }
            ("GET", ["device", "id", id]) => {
                let id: i64 = id.parse().map_err(|_| (StatusCode::BAD_REQUEST, "Request parameters are invalid.".to_owned()))?;
                let data = lock(&self.data);
                data.devices
                    .iter()
                    .find(|d| d.id == id)
                    .map_or_else(|| fail(StatusCode::NOT_FOUND, "Device was not found."), |d| ok(d.json.clone()))
            }
            ("GET", ["device", "macAddress", mac]) => {
                let key = mac_key(mac);
                let data = lock(&self.data);
                let found: Vec<Value> = data
                    .devices
                    .iter()
                    .filter(|d| d.macs.iter().any(|m| mac_key(m) == key))
                    .map(|d| d.json.clone())
                    .collect();
                ok(Value::Array(found))
            }
            ("GET", ["device", uid]) => self.with_device(uid, |d| ok(d.json.clone())),
            ("GET", ["device", uid, "alerts", state]) => {
                self.with_device(uid, |_| Ok(()))?;
                self.alerts(rest, q, state, |a| a.device_uid.as_deref() == Some(*uid))
            }
            ("POST", ["device", uid, "udf"]) => self.set_udfs(uid, body),
            ("POST", ["device", uid, "warranty"]) => {
                let v: Value = serde_json::from_slice(body).map_err(|_| (StatusCode::BAD_REQUEST, "Request data is invalid.".to_owned()))?;
                self.with_device_mut(uid, |d| {
                    d.json["warrantyDate"] = v["warrantyDate"].clone();
                    empty()
                })
            }
            ("PUT", ["device", uid, "site", site]) => self.move_device(uid, site),
            ("PUT", ["device", uid, "quickjob"]) => self.quick_job(uid, body),
            ("GET", ["audit", "device", "macAddress", mac]) => {
                let key = mac_key(mac);
                let data = lock(&self.data);
                let found: Vec<Value> = data
                    .devices
                    .iter()
                    .filter(|d| d.class == "device" && d.macs.iter().any(|m| mac_key(m) == key))
                    .filter_map(|d| d.audit.as_deref().and_then(|a| serde_json::from_str(a).ok()))
                    .collect();
                ok(Value::Array(found))
            }
            ("GET", ["audit", "device", uid, "software"]) => {
                self.audit(uid, "device", "device")?;
                self.page(
                    [json!({"name": "Microsoft Edge", "version": "120.0"}), json!({"name": "7-Zip", "version": "23.01"})].into_iter(),
                    "software",
                    rest,
                    q,
                )
            }
            ("GET", ["audit", kind @ ("device" | "esxihost" | "printer"), uid]) => {
                let label = match *kind {
                    "esxihost" => "ESXi host",
                    other => other,
                };
                self.audit(uid, kind, label)
            }
            ("GET", ["alert", uid]) => {
                let data = lock(&self.data);
                data.alert_index
                    .get(*uid)
                    .map_or_else(|| fail(StatusCode::NOT_FOUND, "Alert was not found."), |i| ok(data.alerts[*i].json.clone()))
            }
            ("POST", ["alert", uid, "resolve"]) => {
                let now = ms(Some(self.ctx.clock().now()));
                let mut data = lock(&self.data);
                let Some(i) = data.alert_index.get(*uid).copied() else {
                    return fail(StatusCode::NOT_FOUND, "Alert was not found.");
                };
                let a = &mut data.alerts[i].json;
                a["resolved"] = json!(true);
                a["resolvedBy"] = json!("API");
                a["resolvedOn"] = now;
                empty()
            }
            ("GET", ["job", uid]) => {
                let data = lock(&self.data);
                data.jobs
                    .get(*uid)
                    .map_or_else(|| fail(StatusCode::NOT_FOUND, "Job or device was not found."), |j| ok(j.clone()))
            }
            _ => fail(StatusCode::NOT_FOUND, "Not Found"),
        }
    }

    fn request_rate(&self) -> Value {
        let now = self.ctx.clock().now();
        let window = chrono::Duration::from_std(self.opts.window).unwrap_or_default();
        let log = self.ctx.log();
        let recent = |write: bool| {
            log.count_where(|e| {
                e.vendor == crate::Vendor::Datto
                    && e.path.starts_with("/api/v2/")
                    && (e.method != "GET") == write
                    && e.status.is_some_and(|s| s < 400)
                    && now - e.at < window
            })
        };
        let ops: serde_json::Map<String, Value> = lock(&self.operations)
            .keys()
            .map(|k| {
                let limit = if *k == "device-udf-set" {
                    self.opts.udf_limit
                } else {
                    self.opts.operation_limit
                };
                ((*k).to_owned(), json!({"limit": limit, "count": 0}))
            })
            .collect();
        json!({
            "slidingTimeWindowSizeSeconds": self.opts.window.as_secs(),
            "accountUid": ACCOUNT_UID,
            "accountCount": recent(false),
            "accountRateLimit": self.opts.read_limit,
            "accountCutOffRatio": 0.9,
            "accountWriteRateLimit": self.opts.write_limit,
            "accountWriteCount": recent(true),
            "operationWriteStatus": ops,
        })
    }

    fn account(&self) -> Value {
        let data = lock(&self.data);
        let online = data
            .devices
            .iter()
            .filter(|d| d.json["online"] == json!(true))
            .count();
        json!({
            "id": 4242, "uid": ACCOUNT_UID, "name": "Sandbox MSP", "currency": "USD",
            "descriptor": {"bilingEmail": "billing@sandbox.invalid", "deviceLimit": 1_000_000, "timeZone": "UTC"},
            "devicesStatus": {
                "numberOfDevices": data.devices.len(), "numberOfOnlineDevices": online,
                "numberOfOfflineDevices": data.devices.len() - online,
                "numberOfOnDemandDevices": 0, "numberOfManagedDevices": data.devices.len(),
            },
        })
    }

    fn alerts(
        &self,
        rest: &str,
        q: &HashMap<String, String>,
        state: &str,
        keep: impl Fn(&AlertRec) -> bool,
    ) -> Answer {
        let resolved = match state {
            "open" => false,
            "resolved" => true,
            _ => return fail(StatusCode::NOT_FOUND, "Not Found"),
        };
        let data = lock(&self.data);
        let items = data
            .alerts
            .iter()
            .filter(|a| keep(a) && a.json["resolved"].as_bool() == Some(resolved))
            .map(|a| &a.json);
        self.page(items, "alerts", rest, q)
    }

    fn variables(&self, site: Option<&str>, rest: &str, q: &HashMap<String, String>) -> Answer {
        if let Some(uid) = site {
            self.with_site(uid, |_| Ok(()))?;
        }
        let data = lock(&self.data);
        let items = data
            .variables
            .get(&site.map(str::to_owned))
            .cloned()
            .unwrap_or_default();
        self.page(items.into_iter(), "variables", rest, q)
    }

    fn create_variable(&self, site: Option<&str>, body: &[u8]) -> Answer {
        let v: Value = serde_json::from_slice(body).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "Request data is invalid.".to_owned(),
            )
        })?;
        if !v["name"].is_string() {
            return fail(StatusCode::BAD_REQUEST, "Request data is invalid.");
        }
        let mut data = lock(&self.data);
        data.next_id += 1;
        let id = data.next_id;
        data.variables
            .entry(site.map(str::to_owned))
            .or_default()
            .push(json!({"id": id, "name": v["name"], "value": v["value"], "masked": v["masked"].as_bool().unwrap_or(false)}));
        empty()
    }

    fn with_site<T>(
        &self,
        uid: &str,
        f: impl FnOnce(&SiteRec) -> Result<T, (StatusCode, String)>,
    ) -> Result<T, (StatusCode, String)> {
        let data = lock(&self.data);
        match data.site_index.get(uid) {
            Some(i) => f(&data.sites[*i]),
            None => Err((StatusCode::NOT_FOUND, "Site was not found.".to_owned())),
        }
    }

    fn with_device<T>(
        &self,
        uid: &str,
        f: impl FnOnce(&DeviceRec) -> Result<T, (StatusCode, String)>,
    ) -> Result<T, (StatusCode, String)> {
        let data = lock(&self.data);
        match data.device_index.get(uid) {
            Some(i) => f(&data.devices[*i]),
            None => Err((StatusCode::NOT_FOUND, "Device was not found.".to_owned())),
        }
    }

    fn with_device_mut(&self, uid: &str, f: impl FnOnce(&mut DeviceRec) -> Answer) -> Answer {
        let mut data = lock(&self.data);
        match data.device_index.get(uid).copied() {
            Some(i) => f(&mut data.devices[i]),
            None => fail(StatusCode::NOT_FOUND, "Device was not found."),
        }
    }

    fn audit(&self, uid: &str, class: &str, label: &str) -> Answer {
        self.with_device(uid, |d| match &d.audit {
            Some(a) if d.class == class => {
                Ok(([(header::CONTENT_TYPE, "application/json")], a.to_string()).into_response())
            }
            _ => fail(
                StatusCode::BAD_REQUEST,
                &format!("The device identified by the given device UID is not of class {label}."),
            ),
        })
    }

    fn set_udfs(&self, uid: &str, body: &[u8]) -> Answer {
        let invalid = || {
            (
                StatusCode::BAD_REQUEST,
                "Request data is invalid.".to_owned(),
            )
        };
        let fields: serde_json::Map<String, Value> =
            serde_json::from_slice(body).map_err(|_| invalid())?;
        for (k, v) in &fields {
            let n: u16 = k
                .strip_prefix("udf")
                .and_then(|n| n.parse().ok())
                .ok_or_else(invalid)?;
            let text = v.as_str().unwrap_or_default();
            if !(1..=300).contains(&n) || text.chars().count() > 255 {
                return Err(invalid());
            }
        }
        self.with_device_mut(uid, |d| {
            for (k, v) in fields {
                let value = match v.as_str() {
                    Some("") | None => Value::Null,
                    Some(s) => Value::String(s.to_owned()),
                };
                d.json["udf"][k] = value;
            }
            empty()
        })
    }

    fn move_device(&self, uid: &str, site: &str) -> Answer {
        let mut data = lock(&self.data);
        let (Some(di), Some(si)) = (
            data.device_index.get(uid).copied(),
            data.site_index.get(site).copied(),
        ) else {
            return fail(StatusCode::NOT_FOUND, "Device and/or site not found.");
        };
        let (id, name) = (data.sites[si].id, data.sites[si].json["name"].clone());
        let d = &mut data.devices[di];
        d.site_uid = site.to_owned();
        d.json["siteUid"] = json!(site);
        d.json["siteId"] = json!(id);
        d.json["siteName"] = name;
        empty()
    }

    fn create_site(&self, body: &[u8]) -> Answer {
        let v: Value = serde_json::from_slice(body).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "Request data is invalid.".to_owned(),
            )
        })?;
        let Some(name) = v["name"].as_str().filter(|n| !n.trim().is_empty()) else {
            return fail(StatusCode::BAD_REQUEST, "Request data is invalid.");
        };
        let mut data = lock(&self.data);
        data.next_id += 1;
        let id = data.next_id;
        let uid = format!("{:08x}-0000-4000-8000-{:012x}", id, id);
        let json = json!({
            "id": id, "uid": uid, "accountUid": ACCOUNT_UID, "name": name,
            "description": v["description"], "notes": v["notes"],
            "onDemand": v["onDemand"].as_bool().unwrap_or(false),
            "splashtopAutoInstall": v["splashtopAutoInstall"].as_bool().unwrap_or(false),
            "proxySettings": null,
            "devicesStatus": {"numberOfDevices": 0, "numberOfOnlineDevices": 0, "numberOfOfflineDevices": 0},
            "autotaskCompanyName": null, "autotaskCompanyId": null,
            "portalUrl": format!("https://sandbox.rmm.datto.com/site/{id}"),
        });
        let index = data.sites.len();
        data.site_index.insert(uid.clone(), index);
        data.sites.push(SiteRec {
            uid,
            id,
            json: json.clone(),
        });
        ok(json)
    }

    fn update_site(&self, uid: &str, body: &[u8]) -> Answer {
        let v: Value = serde_json::from_slice(body).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "Request data is invalid.".to_owned(),
            )
        })?;
        if v["name"].as_str().is_none_or(|n| n.trim().is_empty()) {
            return fail(StatusCode::BAD_REQUEST, "Request data is invalid.");
        }
        let mut data = lock(&self.data);
        let Some(i) = data.site_index.get(uid).copied() else {
            return fail(StatusCode::NOT_FOUND, "Site was not found.");
        };
        let site = &mut data.sites[i].json;
        for key in [
            "name",
            "description",
            "notes",
            "onDemand",
            "splashtopAutoInstall",
        ] {
            if !v[key].is_null() {
                site[key] = v[key].clone();
            }
        }
        ok(site.clone())
    }

    fn quick_job(&self, uid: &str, body: &[u8]) -> Answer {
        let v: Value = serde_json::from_slice(body).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "Request data is invalid.".to_owned(),
            )
        })?;
        self.with_device(uid, |_| Ok(()))?;
        let (Some(name), Some(component)) = (
            v["jobName"].as_str(),
            v["jobComponent"]["componentUid"].as_str(),
        ) else {
            return fail(StatusCode::BAD_REQUEST, "Request data is invalid.");
        };
        let mut data = lock(&self.data);
        data.next_id += 1;
        let id = data.next_id;
        let job_uid = format!("job-{id:08x}");
        let job = json!({"id": id, "uid": job_uid, "name": name, "status": "active", "dateCreated": ms(Some(self.ctx.clock().now()))});
        data.jobs.insert(job_uid, job.clone());
        ok(
            json!({"job": job, "jobComponents": [{"uid": component, "name": "Component", "variables": v["jobComponent"]["variables"]}]}),
        )
    }
}
