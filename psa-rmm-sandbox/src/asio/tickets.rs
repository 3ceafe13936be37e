//! Tickets v2 (create, get, list with `pageNum`/`pageSize`, replace-only PATCH), notes (v1) and the lookup
//! tables (v1, unpaginated). Errors use the ticket API's array shape.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::data::{Data, key, ts};
use super::guard::check;
use super::{Asio, Shared, json_response, ticket_error};

type Params = Query<HashMap<String, String>>;

const READ: &str = "platform.tickets.read";
const LOOKUPS: [&str; 6] = [
    "service-boards",
    "statuses",
    "priorities",
    "sources",
    "types",
    "categories",
];
/// Fields a PATCH may replace, and the lookup table an `{id}` value must exist in (`None`: free value).
const PATCHABLE: [(&str, Option<&str>); 9] = [
    ("summary", None),
    ("description", None),
    ("dueDate", None),
    ("status", Some("statuses")),
    ("priority", Some("priorities")),
    ("serviceBoard", Some("service-boards")),
    ("source", Some("sources")),
    ("type", Some("types")),
    ("category", Some("categories")),
];

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/platform/v1/service/ticketing/{table}", get(lookup))
        .route(
            "/api/platform/v2/service/ticketing/tickets",
            get(list).post(create),
        )
        .route(
            "/api/platform/v2/service/ticketing/tickets/{id}",
            get(one).patch(patch),
        )
        .route(
            "/api/platform/v1/service/ticketing/tickets/{id}/notes",
            get(notes).post(add_note),
        )
}

fn table<'a>(data: &'a Data, name: &str) -> Option<&'a Vec<Value>> {
    Some(match name {
        "service-boards" => &data.boards,
        "statuses" => &data.statuses,
        "priorities" => &data.priorities,
        "sources" => &data.sources,
        "types" => &data.types,
        "categories" => &data.categories,
        _ => return None,
    })
}

async fn lookup(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some(READ)) {
        return r;
    }
    if !LOOKUPS.contains(&name.as_str()) {
        return ticket_error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such table");
    }
    let data = asio.data();
    json_response(
        StatusCode::OK,
        Value::Array(table(&data, &name).cloned().unwrap_or_default()),
    )
}

/// The `{id, name}` of the row `value.id` names in `table`, or an error message.
fn resolve(data: &Data, table_name: &str, value: &Value) -> Result<Value, String> {
    let id = value["id"]
        .as_str()
        .ok_or_else(|| format!("{table_name}: an object with an id is required"))?;
    table(data, table_name)
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["id"].as_str().is_some_and(|r| key(r) == key(id)))
        })
        .map(|row| json!({"id": row["id"], "name": row["name"]}))
        .ok_or_else(|| format!("{table_name}: unknown id {id}"))
}

fn check_text(field: &str, value: &Value, max: usize) -> Result<Value, String> {
    let text = value
        .as_str()
        .ok_or_else(|| format!("{field} must be a string"))?;
    let n = text.chars().count();
    if text.trim().is_empty() || n > max {
        return Err(format!("{field} must be 1 to {max} characters"));
    }
    Ok(json!(text))
}

async fn create(State(asio): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some("platform.tickets.create")) {
        return r;
    }
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return ticket_error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "the body must be a ticket object",
        );
    };
    let get = |k: &str| req.get(k).cloned().unwrap_or(Value::Null);
    let now = ts(asio.ctx.clock().now());
    let mut data = asio.data();
    let built = (|| -> Result<Value, String> {
        let summary = check_text("summary", &get("summary"), 255)?;
        let description = check_text("description", &get("description"), 10_000)?;
        let board = resolve(&data, "service-boards", &get("serviceBoard"))?;
        let source = resolve(&data, "sources", &get("source"))?;
        let status = match req.get("status") {
            Some(v) => resolve(&data, "statuses", v)?,
            None => json!({"id": data.statuses[0]["id"], "name": data.statuses[0]["name"]}),
        };
        let optional = |k: &str, t: &str| req.get(k).map(|v| resolve(&data, t, v)).transpose();
        let priority = optional("priority", "priorities")?;
        let kind = optional("type", "types")?;
        let category = optional("category", "categories")?;
        let assets: Vec<Value> = match req.get("assets") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|a| {
                    let id = a["id"].as_str().ok_or("assets[].id is required")?;
                    data.endpoint(id)
                        .ok_or(format!("asset {id} is not an endpoint"))?;
                    Ok(json!({"id": id, "isPrimary": a["isPrimary"].as_bool().unwrap_or(false)}))
                })
                .collect::<Result<_, String>>()?,
            Some(_) => return Err("assets must be an array".into()),
        };
        Ok(json!({
            "summary": summary, "description": description, "serviceBoard": board, "source": source,
            "status": status, "priority": priority, "type": kind, "category": category, "assets": assets,
            "company": get("company"), "site": get("site"), "dueDate": get("dueDate"),
            "tags": [], "extendedAttributes": [],
        }))
    })();
    let mut ticket = match built {
        Ok(t) => t,
        Err(message) => return ticket_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &message),
    };
    data.ticket_seq += 1;
    let id = data.rng.uuid();
    ticket["id"] = json!(id);
    ticket["number"] = json!(format!("{}.{}", data.ticket_seq, data.ticket_seq % 97));
    ticket["version"] = json!(1);
    ticket["createdAt"] = json!(now);
    ticket["updatedAt"] = json!(now);
    ticket["createdBy"] = json!({"id": "api"});
    data.tickets.push(ticket.clone());
    json_response(StatusCode::CREATED, ticket)
}

fn find(data: &Data, id: &str) -> Option<usize> {
    data.tickets
        .iter()
        .position(|t| t["id"].as_str().is_some_and(|t| key(t) == key(id)))
}

async fn one(State(asio): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some(READ)) {
        return r;
    }
    let data = asio.data();
    match find(&data, &id) {
        Some(i) => json_response(StatusCode::OK, data.tickets[i].clone()),
        None => ticket_error(StatusCode::NOT_FOUND, "NOT_FOUND", "ticket not found"),
    }
}

fn matches(ticket: &Value, q: &HashMap<String, String>) -> bool {
    let in_list = |param: &str, value: &Value| {
        q.get(param).is_none_or(|list| {
            let v = value.as_str().map(key).unwrap_or_default();
            list.split(',').any(|x| key(x.trim()) == v)
        })
    };
    in_list("companyIds", &ticket["company"]["id"])
        && in_list("statusIds", &ticket["status"]["id"])
        && in_list("statusNames", &ticket["status"]["name"])
        && in_list("ticketIds", &ticket["id"])
        && q.get("updatedAtFrom").is_none_or(|from| {
            ticket["updatedAt"]
                .as_str()
                .is_some_and(|u| u >= from.as_str())
        })
}

async fn list(State(asio): State<Shared>, headers: HeaderMap, Query(q): Params) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some(READ)) {
        return r;
    }
    let (num, size) = match (q.get("pageNum"), q.get("pageSize")) {
        (None, None) => (1, 50),
        (Some(n), Some(s)) => match (n.parse::<usize>(), s.parse::<usize>()) {
            (Ok(n), Ok(s)) if n >= 1 && (1..=100).contains(&s) => (n, s),
            _ => {
                return ticket_error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PAGING",
                    "pageNum >= 1 and pageSize 1-100",
                );
            }
        },
        _ => {
            return ticket_error(
                StatusCode::BAD_REQUEST,
                "INVALID_PAGING",
                "pageNum and pageSize must be sent together",
            );
        }
    };
    let data = asio.data();
    let mut all: Vec<&Value> = data.tickets.iter().filter(|t| matches(t, &q)).collect();
    // Default order: newest first; ties by number so pages are stable.
    all.sort_by(|a, b| {
        (b["createdAt"].as_str(), b["number"].as_str())
            .cmp(&(a["createdAt"].as_str(), a["number"].as_str()))
    });
    let start = (num - 1) * size;
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(size)
        .map(|t| (*t).clone())
        .collect();
    // Past the last page the API answers an empty list with a zero total.
    let total = if page.is_empty() { 0 } else { all.len() };
    json_response(
        StatusCode::OK,
        json!({"tickets": page, "totalCount": total}),
    )
}

async fn patch(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some("platform.tickets.update")) {
        return r;
    }
    let Ok(Value::Array(ops)) = serde_json::from_slice::<Value>(&body) else {
        return ticket_error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "the body must be a JSON Patch array",
        );
    };
    let now = ts(asio.ctx.clock().now());
    let mut data = asio.data();
    let Some(index) = find(&data, &id) else {
        return ticket_error(StatusCode::NOT_FOUND, "NOT_FOUND", "ticket not found");
    };
    let mut ticket = data.tickets[index].clone();
    for op in &ops {
        if op["op"].as_str() != Some("replace") {
            return ticket_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "only replace is allowed",
            );
        }
        let path = op["path"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('/');
        let Some((field, table_name)) = PATCHABLE.iter().find(|(f, _)| *f == path) else {
            return ticket_error(
                StatusCode::BAD_REQUEST,
                "READ_ONLY",
                &format!("/{path} cannot be patched"),
            );
        };
        let value = match (table_name, *field) {
            (Some(t), _) => resolve(&data, t, &op["value"]),
            (None, "summary") => check_text("summary", &op["value"], 255),
            (None, "description") => check_text("description", &op["value"], 10_000),
            (None, _) => Ok(op["value"].clone()),
        };
        match value {
            Ok(v) => ticket[*field] = v,
            Err(message) => {
                return ticket_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &message);
            }
        }
    }
    ticket["version"] = json!(ticket["version"].as_i64().unwrap_or(0) + 1);
    ticket["updatedAt"] = json!(now);
    data.tickets[index] = ticket.clone();
    json_response(StatusCode::OK, ticket)
}

fn ticket_exists(asio: &Asio, id: &str) -> bool {
    find(&asio.data(), id).is_some()
}

async fn notes(State(asio): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some(READ)) {
        return r;
    }
    if !ticket_exists(&asio, &id) {
        return ticket_error(StatusCode::NOT_FOUND, "NOT_FOUND", "ticket not found");
    }
    let notes = asio
        .data()
        .notes
        .get(&key(&id))
        .cloned()
        .unwrap_or_default();
    json_response(StatusCode::OK, Value::Array(notes))
}

async fn add_note(
    State(asio): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = check(&asio, &headers, "service", Some("platform.tickets.update")) {
        return r;
    }
    if !ticket_exists(&asio, &id) {
        return ticket_error(StatusCode::NOT_FOUND, "NOT_FOUND", "ticket not found");
    }
    let Ok(req) = serde_json::from_slice::<Value>(&body) else {
        return ticket_error(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "the body must be a note object",
        );
    };
    if let Err(message) = check_text("detail", &req["detail"], 12_000) {
        return ticket_error(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", &message);
    }
    let visibility = req["visibility"].as_i64().unwrap_or(0);
    if ![1, 2, 7, 8].contains(&visibility) {
        return ticket_error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "visibility must be 1, 2, 7 or 8",
        );
    }
    if req["extendedAttributes"]
        .as_array()
        .is_some_and(|a| !a.is_empty())
    {
        return ticket_error(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "unknown extended attribute",
        );
    }
    let now = ts(asio.ctx.clock().now());
    let mut data = asio.data();
    let note_id = data.rng.uuid();
    let note = json!({"id": note_id, "ticketId": id, "detail": req["detail"], "visibility": visibility,
                      "extendedAttributes": [], "selfCreated": true, "createdBy": "api", "createdAt": now});
    data.notes.entry(key(&id)).or_default().push(note.clone());
    json_response(StatusCode::CREATED, note)
}
