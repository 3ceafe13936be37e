//! Companies and sites (opaque `Link` cursor), and custom-field definitions and values.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::data::{key, ts};
use super::guard::check;
use super::{Asio, Shared, gateway_error, json_response};

type Params = Query<HashMap<String, String>>;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/platform/v1/company/companies", get(companies))
        .route("/api/platform/v1/company/companies/{id}", get(company))
        .route(
            "/api/platform/v1/company/companies/{id}/sites",
            get(company_sites),
        )
        .route(
            "/api/platform/v1/company/companies/{id}/sites/{site}",
            get(company_site),
        )
        .route("/api/platform/v1/company/sites", get(all_sites))
        .route("/api/platform/v1/company/sites/{id}", get(site))
        .route(
            "/api/platform/v1/custom-field/definitions",
            get(definitions),
        )
        .route(
            "/api/platform/v1/company/companies/{id}/custom-fields",
            get(company_values).put(put_company_values),
        )
        .route(
            "/api/platform/v1/company/sites/{id}/custom-fields",
            get(site_values).put(put_site_values),
        )
        .route(
            "/api/platform/v2/device/endpoints/{id}/custom-fields",
            get(endpoint_values).put(put_endpoint_values),
        )
        .route(
            "/api/platform/v1/device/endpoints/{id}/custom-fields",
            get(endpoint_values).put(put_endpoint_values),
        )
}

/// One page of `items` behind an opaque base64 cursor, with a `Link rel="next"` to the next one. A cursor
/// past the end answers 404, as the API does.
pub(super) fn link_paged(
    asio: &Asio,
    path: &str,
    params: &HashMap<String, String>,
    items: Vec<Value>,
) -> Response {
    let limit = params
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 500);
    let offset = match params.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(cursor) => match decode_cursor(cursor) {
            Some(o) => o,
            None => return gateway_error(StatusCode::BAD_REQUEST, "bad request", "invalid cursor"),
        },
    };
    if offset > 0 && offset >= items.len() {
        return gateway_error(StatusCode::NOT_FOUND, "not found", "no more records");
    }
    let page: Vec<Value> = items.iter().skip(offset).take(limit).cloned().collect();
    let next = offset + page.len();
    let mut resp = json_response(StatusCode::OK, Value::Array(page));
    if next < items.len() {
        let last_id = items
            .get(next - 1)
            .and_then(|v| v["id"].as_str())
            .unwrap_or_default();
        let cursor = URL_SAFE_NO_PAD
            .encode(json!({"uniqueId": last_id, "orderingKey": next.to_string()}).to_string());
        let filter = params.get("filter").cloned().unwrap_or_default();
        let link = format!(
            "<{}{path}?cursor={cursor}&filter={filter}&limit={limit}>; rel=\"next\"",
            asio.ctx.base_url()
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v["orderingKey"].as_str()?.parse().ok()
}

async fn companies(State(asio): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.companies.read")) {
        return r;
    }
    let items = asio.data().companies.clone();
    link_paged(&asio, "/api/platform/v1/company/companies", &q, items)
}

async fn company(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.companies.read")) {
        return r;
    }
    let found = asio
        .data()
        .companies
        .iter()
        .find(|c| c["id"].as_str().is_some_and(|c| key(c) == key(&id)))
        .cloned();
    match found {
        Some(c) => json_response(StatusCode::OK, c),
        None => gateway_error(StatusCode::NOT_FOUND, "not found", "company does not exist"),
    }
}

fn sites_of(asio: &Asio, company: Option<&str>) -> Vec<Value> {
    asio.data()
        .sites
        .iter()
        .filter(|s| company.is_none_or(|c| key(c) == key(&s.company_id)))
        .map(|s| s.json.clone())
        .collect()
}

async fn company_sites(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.sites.read")) {
        return r;
    }
    let items = sites_of(&asio, Some(&id));
    if items.is_empty() {
        return gateway_error(
            StatusCode::NOT_FOUND,
            "not found",
            "no sites for this company",
        );
    }
    let path = format!("/api/platform/v1/company/companies/{id}/sites");
    link_paged(&asio, &path, &q, items)
}

async fn all_sites(State(asio): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.sites.read")) {
        return r;
    }
    let items = sites_of(&asio, None);
    link_paged(&asio, "/api/platform/v1/company/sites", &q, items)
}

fn one_site(asio: &Asio, company: Option<&str>, id: &str) -> Response {
    match sites_of(asio, company)
        .into_iter()
        .find(|s| s["id"].as_str().is_some_and(|s| key(s) == key(id)))
    {
        Some(s) => json_response(StatusCode::OK, s),
        None => gateway_error(StatusCode::NOT_FOUND, "not found", "site does not exist"),
    }
}

async fn company_site(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path((id, site)): Path<(String, String)>,
) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.sites.read")) {
        return r;
    }
    one_site(&asio, Some(&id), &site)
}

async fn site(State(asio): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = check(&asio, &headers, "partner", Some("platform.sites.read")) {
        return r;
    }
    one_site(&asio, None, &id)
}

async fn definitions(State(asio): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = check(
        &asio,
        &headers,
        "custom-fields",
        Some("platform.custom_fields_definitions.read"),
    ) {
        return r;
    }
    let wanted = q.get("entityType").map(|e| e.to_ascii_lowercase());
    let defs: Vec<Value> = asio
        .data()
        .definitions
        .iter()
        .filter(|d| {
            wanted.as_deref().is_none_or(|w| {
                d["entityType"]
                    .as_str()
                    .is_some_and(|e| e == w || (w == "client" && e == "company"))
            })
        })
        .cloned()
        .collect();
    json_response(StatusCode::OK, Value::Array(defs))
}

/// Which entity a custom-field route addresses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entity {
    Company,
    Site,
    Device,
}

impl Entity {
    fn name(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Site => "site",
            Self::Device => "device",
        }
    }
}

fn exists(asio: &Asio, entity: Entity, id: &str) -> bool {
    let data = asio.data();
    let k = key(id);
    match entity {
        Entity::Company => data
            .companies
            .iter()
            .any(|c| c["id"].as_str().is_some_and(|c| key(c) == k)),
        Entity::Site => data
            .sites
            .iter()
            .any(|s| s.json["id"].as_str().is_some_and(|s| key(s) == k)),
        Entity::Device => data.endpoint(id).is_some(),
    }
}

fn read_values(
    asio: &Asio,
    headers: &HeaderMap,
    entity: Entity,
    id: &str,
    q: &HashMap<String, String>,
) -> Response {
    if let Some(r) = check(
        asio,
        headers,
        "custom-fields",
        Some("platform.custom_fields_values.read"),
    ) {
        return r;
    }
    if !exists(asio, entity, id) {
        return gateway_error(
            StatusCode::NOT_FOUND,
            "not found",
            &format!("{} does not exist", entity.name()),
        );
    }
    let wanted: Option<Vec<String>> = q
        .get("attributeIDs")
        .map(|ids| ids.split(',').map(key).filter(|s| !s.is_empty()).collect());
    if wanted.as_ref().is_some_and(|w| w.len() > 25) {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "bad request",
            "at most 25 attributeIDs",
        );
    }
    let data = asio.data();
    let values: Vec<Value> = data
        .definitions
        .iter()
        .filter(|d| d["entityType"].as_str() == Some(entity.name()))
        .filter_map(|d| {
            let attr = d["id"].as_str()?;
            if wanted.as_ref().is_some_and(|w| !w.contains(&key(attr))) {
                return None;
            }
            let value = data.values.get(&(key(id), key(attr))).cloned().flatten();
            Some(json!({"attributeId": attr, "attributeID": attr, "name": d["name"], "type": "string",
                        "value": value}))
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(values))
}

fn write_values(
    asio: &Asio,
    headers: &HeaderMap,
    entity: Entity,
    id: &str,
    body: &Bytes,
) -> Response {
    if let Some(r) = check(
        asio,
        headers,
        "custom-fields",
        Some("platform.custom_fields_values.write"),
    ) {
        return r;
    }
    if !exists(asio, entity, id) {
        return gateway_error(
            StatusCode::NOT_FOUND,
            "not found",
            &format!("{} does not exist", entity.name()),
        );
    }
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(body) else {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "bad request",
            "the body must be an array of values",
        );
    };
    let mut data = asio.data();
    let mut updates = Vec::with_capacity(items.len());
    for item in &items {
        let (Some(entity_id), Some(attr)) =
            (item["entityId"].as_str(), item["attributeId"].as_str())
        else {
            return gateway_error(
                StatusCode::BAD_REQUEST,
                "bad request",
                "entityId and attributeId are required",
            );
        };
        if key(entity_id) != key(id) {
            return gateway_error(
                StatusCode::BAD_REQUEST,
                "bad request",
                "entityId does not match the path",
            );
        }
        let known = data.definitions.iter().any(|d| {
            d["id"].as_str().is_some_and(|d| key(d) == key(attr))
                && d["entityType"].as_str() == Some(entity.name())
        });
        if !known {
            return gateway_error(
                StatusCode::BAD_REQUEST,
                "bad request",
                &format!("unknown attribute {attr}"),
            );
        }
        let value = match &item["value"] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                return gateway_error(StatusCode::BAD_REQUEST, "bad request", "values are strings");
            }
        };
        updates.push((attr.to_owned(), value));
    }
    let now = ts(asio.ctx.clock().now());
    let saved: Vec<Value> = updates
        .into_iter()
        .map(|(attr, value)| {
            data.values.insert((key(id), key(&attr)), value.clone());
            json!({"attributeId": attr, "value": value, "type": "string", "updatedAt": now, "updatedBy": "api"})
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(saved))
}

async fn company_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    read_values(&a, &h, Entity::Company, &id, &q)
}

async fn site_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    read_values(&a, &h, Entity::Site, &id, &q)
}

async fn endpoint_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    read_values(&a, &h, Entity::Device, &id, &q)
}

async fn put_company_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_values(&a, &h, Entity::Company, &id, &b)
}

async fn put_site_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_values(&a, &h, Entity::Site, &id, &b)
}

async fn put_endpoint_values(
    State(a): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    write_values(&a, &h, Entity::Device, &id, &b)
}
