//! Devices: the v2 list (POST with a body, limits enforced, integer `Link` cursor), v2 detail, the legacy
//! v1 list and detail, system state, and device groups.

use std::collections::{HashMap, HashSet};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::data::{EndpointRec, key, project};
use super::guard::check;
use super::{Shared, code_error, gateway_error, group_error, json_response};

type Params = Query<HashMap<String, String>>;

const MAX_FIELDS: usize = 15;
const MAX_PAGE: usize = 500;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/api/platform/v2/device/categories/{category}/endpoints",
            get(list_v2).post(list_v2),
        )
        .route(
            "/api/platform/v2/device/companies/{company}/sites/{site}/endpoints/{endpoint}",
            get(detail_v2),
        )
        .route(
            "/api/platform/v2/device/endpoints/{id}/system-state-info",
            get(system_state),
        )
        .route(
            "/api/platform/v2/device/endpoints/heartbeat",
            get(heartbeat),
        )
        .route("/api/platform/v1/device/token", post(install_token))
        .route("/api/platform/v1/device/endpoints", get(list_v1_partner))
        .route(
            "/api/platform/v1/device/clients/{company}/endpoints",
            get(list_v1_company),
        )
        .route(
            "/api/platform/v1/device/clients/{company}/sites/{site}/endpoints",
            get(list_v1_site),
        )
        .route("/api/platform/v1/device/endpoints/{id}", get(detail_v1))
        .route("/api/platform/v1/device-groups", get(groups))
        .route(
            "/api/platform/v2/device-groups/{id}/endpoints",
            get(group_members),
        )
        .route(
            "/api/platform/v2/managed-endpoints/{id}/device-groups",
            get(groups_of),
        )
}

fn fields_param(q: &HashMap<String, String>) -> Vec<String> {
    q.get("field")
        .map(|f| {
            f.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `endpointType in (A,B)` / `endpointType not in (A,B)`; anything else is a 400.
fn parse_filter(filter: &str) -> Result<Option<(bool, HashSet<String>)>, ()> {
    let f = filter.trim();
    if f.is_empty() {
        return Ok(None);
    }
    let lower = f.to_ascii_lowercase();
    let rest = lower.strip_prefix("endpointtype").ok_or(())?.trim_start();
    let (negate, rest) = match rest.strip_prefix("not in") {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix("in").ok_or(())?),
    };
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or(())?;
    Ok(Some((
        negate,
        inner.split(',').map(|s| s.trim().to_owned()).collect(),
    )))
}

async fn list_v2(
    State(asio): State<Shared>,
    method: Method,
    headers: HeaderMap,
    Path(category): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> Response {
    if let Some(r) = check(&asio, &headers, "endpoints", Some("platform.devices.read")) {
        return r;
    }
    if method == Method::POST && asio.opts.device_list_get_only {
        return code_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "use GET with a body",
        );
    }
    let category = category.to_ascii_lowercase();
    if !["platform", "network", "cloud", "all"].contains(&category.as_str()) {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "category must be platform, network, cloud or all",
        );
    }
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "a body with resourceType and resources is required",
        );
    };
    let resource_type = req
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let Some(resources) = req.get("resources").and_then(Value::as_array) else {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "resources is required",
        );
    };
    let max = match resource_type.as_str() {
        "company" => 4,
        "site" => 10,
        "endpoint" => 500,
        _ => {
            return code_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "resourceType must be company, site or endpoint",
            );
        }
    };
    if resources.is_empty() || resources.len() > max {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            &format!(
                "{} {resource_type} values given; 1 to {max} are allowed",
                resources.len()
            ),
        );
    }
    let wanted: HashSet<String> = resources
        .iter()
        .filter_map(Value::as_str)
        .map(key)
        .collect();
    let fields = fields_param(&q);
    if fields.len() > MAX_FIELDS {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "at most 15 fields are allowed",
        );
    }
    let Ok(filter) = parse_filter(q.get("filter").map_or("", String::as_str)) else {
        return code_error(StatusCode::BAD_REQUEST, "bad_request", "unsupported filter");
    };
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(MAX_PAGE)
        .clamp(1, MAX_PAGE);
    let cursor = match q.get("cursor").map(|c| c.parse::<usize>()) {
        None => 0,
        Some(Ok(c)) => c,
        Some(Err(_)) => {
            return code_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "cursor must be an integer",
            );
        }
    };
    let data = asio.data();
    let matching: Vec<&EndpointRec> = data
        .endpoints
        .iter()
        .filter(|e| category == "all" || e.category == category)
        .filter(|e| {
            let id = match resource_type.as_str() {
                "company" => &e.company_id,
                "site" => &e.site_id,
                _ => &e.id,
            };
            wanted.contains(&key(id))
        })
        .filter(|e| {
            filter.as_ref().is_none_or(|(negate, types)| {
                let t = e.full["endpointType"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                types.contains(&t) != *negate
            })
        })
        .collect();
    if cursor >= matching.len() {
        return code_error(StatusCode::NOT_FOUND, "not_found", "resource not found");
    }
    let page = &matching[cursor..matching.len().min(cursor + limit)];
    let mut out: Map<String, Value> = ["platform", "network", "cloud"]
        .iter()
        .map(|c| ((*c).to_owned(), Value::Array(Vec::new())))
        .collect();
    for e in page {
        let Some(Value::Array(groups)) = out.get_mut(e.category) else {
            continue;
        };
        let item = project(&e.full, Some(&fields));
        let same_group = groups.last().is_some_and(|g| {
            g["companyID"].as_str() == Some(e.company_id.as_str())
                && g["siteID"].as_str() == Some(e.site_id.as_str())
        });
        if !same_group {
            groups.push(json!({"companyID": e.company_id, "siteID": e.site_id, "endpoints": []}));
        }
        if let Some(Value::Array(eps)) = groups.last_mut().and_then(|g| g.get_mut("endpoints")) {
            eps.push(item);
        }
    }
    let next = cursor + page.len();
    let more = next < matching.len();
    drop(data);
    let mut resp = json_response(StatusCode::OK, Value::Object(out));
    if more {
        let mut link = format!(
            "<{}/api/platform/v2/device/categories/{category}/endpoints?cursor={next}&limit={limit}",
            asio.ctx.base_url()
        );
        if !fields.is_empty() {
            link.push_str(&format!("&field={}", fields.join(",")));
        }
        link.push_str(">; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

async fn detail_v2(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path((company, site, endpoint)): Path<(String, String, String)>,
    Query(q): Params,
) -> Response {
    if let Some(r) = check(&asio, &headers, "endpoints", Some("platform.devices.read")) {
        return r;
    }
    let mut fields = fields_param(&q);
    if fields.len() > MAX_FIELDS {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "at most 15 fields are allowed",
        );
    }
    if fields.is_empty() {
        fields = vec!["os".into(), "system".into()];
    }
    let data = asio.data();
    let Some(e) = data
        .endpoint(&endpoint)
        .filter(|e| key(&e.company_id) == key(&company) && key(&e.site_id) == key(&site))
    else {
        return code_error(StatusCode::NOT_FOUND, "not_found", "endpoint not found");
    };
    let mut body = json!({
        "companyID": e.company_id, "siteID": e.site_id, "endpointID": e.id,
        "clientId": e.company_id, "siteId": e.site_id, "endpointId": e.id,
        "endpointType": e.full["endpointType"], "osType": "windows",
        "endpointMapping": [], "platform": null, "network": null, "cloud": null,
    });
    body[e.category] = project(&e.full, Some(&fields));
    json_response(StatusCode::OK, body)
}

async fn system_state(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check(&asio, &headers, "endpoints", Some("platform.devices.read")) {
        return r;
    }
    let data = asio.data();
    let Some(e) = data.endpoint(&id) else {
        return code_error(StatusCode::NOT_FOUND, "not_found", "endpoint not found");
    };
    let user = e.full["os"]["userName"].clone();
    let at = e.full["modifiedAt"].clone();
    json_response(
        StatusCode::OK,
        json!({"endpointID": e.id, "clientID": e.company_id, "siteID": e.site_id, "name": e.full["deviceName"],
               "startupStatus": {"lastBootUpTimeUTC": at},
               "lastLoggedOnUser": {"username": user, "logonTime": at, "status": "Active", "isAdmin": false},
               "loggedOnUsers": []}),
    )
}

fn v1_rows(asio: &Shared, company: Option<&str>, site: Option<&str>) -> Response {
    let rows: Vec<Value> = asio
        .data()
        .endpoints
        .iter()
        .filter(|e| company.is_none_or(|c| key(c) == key(&e.company_id)))
        .filter(|e| site.is_none_or(|s| key(s) == key(&e.site_id)))
        .map(|e| {
            json!({"clientId": e.company_id, "siteId": e.site_id, "endpointId": e.id,
                   "regId": e.id.chars().rev().collect::<String>(), "endpointType": e.full["endpointType"],
                   "osType": "windows"})
        })
        .collect();
    if rows.is_empty() {
        return gateway_error(StatusCode::NOT_FOUND, "not found", "no endpoints");
    }
    json_response(StatusCode::OK, json!({"endpoints": rows}))
}

async fn list_v1_partner(State(asio): State<Shared>, headers: HeaderMap) -> Response {
    match check(&asio, &headers, "asset", Some("platform.asset.read")) {
        Some(r) => r,
        None => v1_rows(&asio, None, None),
    }
}

async fn list_v1_company(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(c): Path<String>,
) -> Response {
    match check(&asio, &headers, "asset", Some("platform.asset.read")) {
        Some(r) => r,
        None => v1_rows(&asio, Some(&c), None),
    }
}

async fn list_v1_site(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path((c, s)): Path<(String, String)>,
) -> Response {
    match check(&asio, &headers, "asset", Some("platform.asset.read")) {
        Some(r) => r,
        None => v1_rows(&asio, Some(&c), Some(&s)),
    }
}

/// The flat v1 detail uses the older spellings: `endpointID`/`clientID`/`siteID`, `baseBoard`,
/// `osLanguage`, `productId`, `physicalDrive`, and a string `rolesFeatures`.
async fn detail_v1(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check(&asio, &headers, "asset", Some("platform.asset.read")) {
        return r;
    }
    let data = asio.data();
    let Some(e) = data.endpoint(&id) else {
        return gateway_error(StatusCode::NOT_FOUND, "not found", "endpoint not found");
    };
    let Value::Object(mut body) = e.full.clone() else {
        return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "bad record");
    };
    body.insert("clientID".into(), json!(e.company_id));
    body.insert("siteID".into(), json!(e.site_id));
    body.insert("rolesFeatures".into(), json!(""));
    if let Some(board) = body.remove("baseboard") {
        body.insert("baseBoard".into(), board);
    }
    body.insert("physicalDrive".into(), json!([]));
    if let Some(Value::Object(os)) = body.get_mut("os") {
        if let Some(lang) = os.remove("language") {
            os.insert("osLanguage".into(), lang);
        }
        if let Some(pid) = os.remove("productID") {
            os.insert("productId".into(), pid);
        }
    }
    if let Some(Value::Array(cpus)) = body.get_mut("processors") {
        for cpu in cpus {
            let speed = cpu["clockSpeedMhz"].as_f64().map(|s| format!("{s}"));
            cpu["clockSpeedMhz"] = json!(speed);
        }
    }
    json_response(StatusCode::OK, Value::Object(body))
}

async fn groups(State(asio): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(r) = check(
        &asio,
        &headers,
        "device-groups",
        Some("platform.deviceGroups.read"),
    ) {
        return r;
    }
    let groups: Vec<Value> = asio.data().groups.iter().map(|g| g.json.clone()).collect();
    json_response(StatusCode::OK, Value::Array(groups))
}

async fn group_members(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check(
        &asio,
        &headers,
        "device-groups",
        Some("platform.deviceGroups.read"),
    ) {
        return r;
    }
    let data = asio.data();
    match data
        .groups
        .iter()
        .find(|g| g.json["id"].as_str().is_some_and(|g| key(g) == key(&id)))
    {
        Some(g) => json_response(StatusCode::OK, json!(g.members)),
        None => group_error(StatusCode::NOT_FOUND, "device group not found"),
    }
}

async fn groups_of(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check(
        &asio,
        &headers,
        "device-groups",
        Some("platform.deviceGroups.read"),
    ) {
        return r;
    }
    let data = asio.data();
    if data.endpoint(&id).is_none() {
        return group_error(StatusCode::NOT_FOUND, "endpoint not found");
    }
    let ids: Vec<Value> = data
        .groups
        .iter()
        .filter(|g| g.members.iter().any(|m| key(m) == key(&id)))
        .map(|g| g.json["id"].clone())
        .collect();
    json_response(StatusCode::OK, Value::Array(ids))
}

/// Live tenants answered 403 to `endpoints` and 400 to `clients`; `companies` works.
async fn heartbeat(State(asio): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = check(&asio, &headers, "endpoints", Some("platform.agent.read")) {
        return r;
    }
    match q
        .get("resourceType")
        .map(|t| t.to_ascii_lowercase())
        .as_deref()
    {
        Some("companies") => {}
        Some("endpoints") => return code_error(StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
        _ => {
            return code_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Invalid Resource Type",
            );
        }
    }
    let ids: Vec<String> = q
        .get("resources")
        .map(|r| {
            r.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() || ids.len() > 4 {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "1 to 4 resources are allowed",
        );
    }
    let data = asio.data();
    let mut ok: Vec<Value> = Vec::new();
    let mut failed: Vec<Value> = Vec::new();
    for id in &ids {
        let mine: Vec<(usize, &EndpointRec)> = data
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| key(&e.company_id) == key(id))
            .collect();
        if mine.is_empty() {
            failed.push(json!({"resourceType": "Company", "resource": id, "error": "Not Found"}));
            continue;
        }
        for (n, e) in mine {
            let same = ok.last().is_some_and(|g: &Value| {
                g["clientID"].as_str() == Some(e.company_id.as_str())
                    && g["siteID"].as_str() == Some(e.site_id.as_str())
            });
            if !same {
                ok.push(json!({"clientID": e.company_id, "siteID": e.site_id, "endpoints": []}));
            }
            if let Some(Value::Array(eps)) = ok.last_mut().and_then(|g| g.get_mut("endpoints")) {
                eps.push(json!({"EndpointID": e.id, "DcDateTimeUTC": e.full["modifiedAt"], "Availability": n % 5 != 0}));
            }
        }
    }
    let status = match (ok.is_empty(), failed.is_empty()) {
        (_, true) => "successful",
        (true, false) => "failed",
        (false, false) => "partial_success",
    };
    json_response(
        StatusCode::OK,
        json!({"status": status, "successfulRecords": ok, "failedRecords": failed}),
    )
}

/// Get-or-create: the same site always gets the same token. The spec's `clientID` is refused, as live.
async fn install_token(State(asio): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = check(&asio, &headers, "endpoints", Some("platform.devices.read")) {
        return r;
    }
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "a JSON body is required",
        );
    };
    if req.contains_key("clientID") {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "ErrClientIDNotAllowed",
        );
    }
    let (Some(company), Some(site)) = (
        req.get("companyID").and_then(Value::as_str),
        req.get("siteID").and_then(Value::as_str),
    ) else {
        return code_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "companyID and siteID are required",
        );
    };
    let mut data = asio.data();
    let known = data.sites.iter().any(|s| {
        key(&s.company_id) == key(company)
            && s.json["id"].as_str().is_some_and(|id| key(id) == key(site))
    });
    if !known {
        return code_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "site not found for company",
        );
    }
    let slot = (key(company), key(site));
    let token = match data.install_tokens.get(&slot) {
        Some(t) => t.clone(),
        None => {
            let t = data.rng.uuid();
            data.install_tokens.insert(slot, t.clone());
            t
        }
    };
    json_response(StatusCode::OK, json!(token))
}
