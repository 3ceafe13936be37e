//! Writing: POST, PUT, PATCH (JSON Patch) and DELETE, with the vendor's validation errors, reference
//! resolution (`{"id"}`, `{"identifier"}` or `{"name"}` picks the target), `_info` stamps and the ticket rule
//! that `closedFlag` follows the status (a PATCH of `closedFlag` alone answers 200 and changes nothing).
// Handlers short-circuit with the finished HTTP error response; it is built once per failing request,
// so its size does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::list::in_parent;
use super::seed::{iso, reference, strip_nulls};
use super::store::{ParentLink, Route, Store, reference_target};
use super::{ManageState, error, field_error, invalid, json_response};

type Outcome<T> = Result<T, Response>;

fn body_object(body: &Bytes, resource: &str) -> Outcome<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid(
            resource,
            vec![field_error(
                "InvalidObject",
                "The request body must be a JSON object.",
                resource,
                "",
            )],
        )),
    }
}

/// `POST` a new record.
pub(crate) fn create(state: &ManageState, route: &Route<'_>, body: &Bytes) -> Response {
    let resource = route.resource;
    let mut record = match body_object(body, resource.resource) {
        Ok(r) => r,
        Err(response) => return response,
    };
    record.remove("id");
    record.remove("_info");
    let mut store = state.write();
    if let (Some(parent_id), Some((_, link))) = (route.parent_id, resource.parent) {
        let value = match link {
            ParentLink::Reference(_) => json!({"id": parent_id}),
            ParentLink::Scalar(_) => json!(parent_id),
        };
        let field = match link {
            ParentLink::Reference(f) | ParentLink::Scalar(f) => f,
        };
        record.insert(field.into(), value);
    }
    let initial_description = match prepare(state, &store, route, &mut record, None) {
        Ok(d) => d,
        Err(response) => return response,
    };
    let table = store.table_mut(resource.table);
    let id = table.next_id.max(1);
    record.insert("id".into(), json!(id));
    let now = iso(state.ctx.clock().now());
    record.insert(
        "_info".into(),
        json!({"lastUpdated": now, "updatedBy": "apiuser", "dateEntered": now, "enteredBy": "apiuser"}),
    );
    let value = strip_nulls(Value::Object(record));
    table.put(id, &value);
    if let Some(text) = initial_description {
        let notes = store.table_mut("notes");
        let note_id = notes.next_id.max(1);
        let note = json!({"id": note_id, "ticketId": id, "text": text, "detailDescriptionFlag": true,
            "internalAnalysisFlag": false, "resolutionFlag": false, "dateCreated": now, "createdBy": "apiuser",
            "_info": {"lastUpdated": now, "updatedBy": "apiuser"}});
        notes.put(note_id, &note);
    }
    json_response(StatusCode::CREATED, value.to_string())
}

/// `PUT`: replaces the whole record (unspecified fields are cleared).
pub(crate) fn put(state: &ManageState, route: &Route<'_>, id: i64, body: &Bytes) -> Response {
    let resource = route.resource;
    let mut record = match body_object(body, resource.resource) {
        Ok(r) => r,
        Err(response) => return response,
    };
    let mut store = state.write();
    let Some(existing) = current(&store, route, id) else {
        return not_found(route, id);
    };
    record.insert("id".into(), json!(id));
    if let Some(parent) = resource.parent.map(|(_, link)| link) {
        let field = match parent {
            ParentLink::Reference(f) | ParentLink::Scalar(f) => f,
        };
        if let Some(v) = existing.get(field) {
            record.insert(field.into(), v.clone());
        }
    }
    if let Err(response) = prepare(state, &store, route, &mut record, Some(&existing)) {
        return response;
    }
    stamp(state, &mut record, &existing);
    let value = strip_nulls(Value::Object(record));
    store.table_mut(resource.table).put(id, &value);
    json_response(StatusCode::OK, value.to_string())
}

/// `PATCH` with a JSON Patch array.
pub(crate) fn patch(state: &ManageState, route: &Route<'_>, id: i64, body: &Bytes) -> Response {
    let resource = route.resource;
    let Ok(Value::Array(ops)) = serde_json::from_slice::<Value>(body) else {
        return invalid(
            resource.resource,
            vec![field_error(
                "InvalidObject",
                "The request body must be a JSON array of patch operations.",
                resource.resource,
                "",
            )],
        );
    };
    let mut store = state.write();
    let Some(existing) = current(&store, route, id) else {
        return not_found(route, id);
    };
    {
        let mut knobs = state.knobs();
        if knobs.ignored_patches > 0 {
            knobs.ignored_patches -= 1;
            return json_response(StatusCode::OK, existing.to_string());
        }
    }
    let Value::Object(mut record) = existing.clone() else {
        return not_found(route, id);
    };
    for op in &ops {
        if let Err(response) = apply_op(&mut record, op, resource.table, resource.resource) {
            return response;
        }
    }
    if let Err(response) = prepare(state, &store, route, &mut record, Some(&existing)) {
        return response;
    }
    stamp(state, &mut record, &existing);
    let value = strip_nulls(Value::Object(record));
    store.table_mut(resource.table).put(id, &value);
    json_response(StatusCode::OK, value.to_string())
}

/// `DELETE`.
pub(crate) fn delete(state: &ManageState, route: &Route<'_>, id: i64) -> Response {
    let mut store = state.write();
    if current(&store, route, id).is_none() {
        return not_found(route, id);
    }
    store.table_mut(route.resource.table).rows.remove(&id);
    StatusCode::NO_CONTENT.into_response()
}

fn current(store: &Store, route: &Route<'_>, id: i64) -> Option<Value> {
    store
        .table(route.resource.table)?
        .get(id)
        .filter(|r| in_parent(route, r))
}

fn not_found(route: &Route<'_>, id: i64) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("{} {id} not found", route.resource.noun),
    )
}

fn stamp(state: &ManageState, record: &mut Map<String, Value>, existing: &Value) {
    let now = iso(state.ctx.clock().now());
    let mut info = existing
        .get("_info")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    info.insert("lastUpdated".into(), json!(now));
    info.insert("updatedBy".into(), json!("apiuser"));
    record.insert("_info".into(), Value::Object(info));
}

/// Applies one JSON Patch operation. A path inside a reference object (`company/identifier`) is accepted
/// and ignored, as the vendor does ("you may receive a false 200").
fn apply_op(
    record: &mut Map<String, Value>,
    op: &Value,
    table: &str,
    resource: &str,
) -> Outcome<()> {
    let bad = |message: &str| {
        invalid(
            resource,
            vec![field_error("InvalidObject", message, resource, "")],
        )
    };
    let kind = op
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let Some(first) = segments.first().copied().filter(|s| !s.is_empty()) else {
        return Err(bad("A patch operation needs a path."));
    };
    if first == "id" || first == "_info" {
        return Err(invalid(
            resource,
            vec![field_error(
                "InvalidField",
                &format!("{first} cannot be changed."),
                resource,
                first,
            )],
        ));
    }
    if segments.len() > 1
        && reference_target(table, first).is_some()
        && segments[1].parse::<usize>().is_err()
    {
        return Ok(());
    }
    let value = op.get("value").cloned();
    match kind.as_str() {
        "replace" | "add" => {
            let value = value.ok_or_else(|| bad("A replace or add operation needs a value."))?;
            set_path(record, &segments, value, kind == "add").map_err(|m| bad(&m))
        }
        "remove" => {
            remove_path(record, &segments);
            Ok(())
        }
        other => Err(bad(&format!(
            "'{other}' is not a supported patch operation: use add, replace or remove."
        ))),
    }
}

fn set_path(
    record: &mut Map<String, Value>,
    path: &[&str],
    value: Value,
    add: bool,
) -> Result<(), String> {
    let [first, rest @ ..] = path else {
        return Err("empty path".into());
    };
    if rest.is_empty() {
        record.insert((*first).to_owned(), value);
        return Ok(());
    }
    let child = record
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    set_in(child, rest, value, add)
}

fn set_in(target: &mut Value, path: &[&str], value: Value, add: bool) -> Result<(), String> {
    let [first, rest @ ..] = path else {
        *target = value;
        return Ok(());
    };
    match target {
        Value::Object(map) => set_path(map, path, value, add),
        Value::Array(items) => {
            if *first == "-" && rest.is_empty() {
                items.push(value);
                return Ok(());
            }
            let index: usize = first
                .parse()
                .map_err(|_| format!("'{first}' is not an array index."))?;
            if rest.is_empty() && add && index <= items.len() {
                items.insert(index, value);
                return Ok(());
            }
            let item = items
                .get_mut(index)
                .ok_or_else(|| format!("Array index {index} is out of range."))?;
            set_in(item, rest, value, add)
        }
        _ => Err(format!("Cannot set '{first}' inside a scalar value.")),
    }
}

fn remove_path(record: &mut Map<String, Value>, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            record.remove(*last);
        }
        [first, rest @ ..] => match record.get_mut(*first) {
            Some(Value::Object(inner)) => remove_path(inner, rest),
            Some(Value::Array(items)) => {
                if let [index] = rest
                    && let Ok(i) = index.parse::<usize>()
                    && i < items.len()
                {
                    items.remove(i);
                }
            }
            _ => {}
        },
    }
}

/// Validates a record about to be stored and resolves its references. Returns a ticket's
/// `initialDescription` (which becomes its first note) on create.
fn prepare(
    state: &ManageState,
    store: &Store,
    route: &Route<'_>,
    record: &mut Map<String, Value>,
    existing: Option<&Value>,
) -> Outcome<Option<String>> {
    let resource = route.resource;
    let missing: Vec<Value> = resource
        .required
        .iter()
        .filter(|f| {
            record
                .get(**f)
                .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        })
        .map(|f| {
            field_error(
                "MissingRequiredField",
                &format!("The {f} field is required."),
                resource.resource,
                f,
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(invalid(resource.resource, missing));
    }
    defaults(resource.table, record, existing);
    resolve_references(state, store, resource.table, resource.resource, record)?;
    let mut initial = None;
    match resource.table {
        "tickets" => initial = ticket_rules(state, store, record, existing)?,
        "notes" => note_rules(record)?,
        "callbacks" => callback_rules(store, record, existing)?,
        "companies" => unique_identifier(store, record, existing)?,
        _ => {}
    }
    Ok(initial)
}

fn defaults(table: &str, record: &mut Map<String, Value>, existing: Option<&Value>) {
    if existing.is_some() {
        return;
    }
    let mut default = |field: &str, value: Value| {
        record.entry(field.to_owned()).or_insert(value);
    };
    match table {
        "tickets" => {
            default("board", json!({"id": 1}));
            default("priority", json!({"id": 3}));
            default("recordType", json!("ServiceTicket"));
        }
        "configurations" => {
            default("status", json!({"id": 1}));
            default("activeFlag", json!(true));
        }
        "companies" => {
            default("status", json!({"id": 1}));
            default("types", json!([{"id": 1}]));
            default("deletedFlag", json!(false));
        }
        "callbacks" => {
            default("payloadVersion", json!("3.0.0"));
            default("inactiveFlag", json!(false));
            default("isSoapCallbackFlag", json!(false));
            default("isSelfSuppressedFlag", json!(false));
            default("objectId", json!(1));
        }
        _ => {}
    }
}

fn resolve_references(
    state: &ManageState,
    store: &Store,
    table: &str,
    resource: &str,
    record: &mut Map<String, Value>,
) -> Outcome<()> {
    // The board is resolved first: a ticket's status, type, subtype and item sent by name are looked up
    // within it, also when the board itself was sent by name.
    if let Some(target) = reference_target(table, "board")
        && let Some(value) = record.get("board").filter(|v| v.is_object()).cloned()
    {
        let resolved = resolve_one(state, store, target, "board", &value, resource, None)?;
        record.insert("board".to_owned(), resolved);
    }
    let board = record
        .get("board")
        .and_then(|b| b.get("id"))
        .and_then(Value::as_i64);
    let fields: Vec<String> = record.keys().cloned().collect();
    for field in fields {
        let Some(target) = reference_target(table, &field) else {
            continue;
        };
        let Some(value) = record.get(&field).cloned() else {
            continue;
        };
        let resolved = match value {
            Value::Null => continue,
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    out.push(resolve_one(
                        state, store, target, &field, item, resource, None,
                    )?);
                }
                Value::Array(out)
            }
            other => {
                // A ticket's status, type, subtype and item are looked up within its board.
                let scope = if table == "tickets" && target.starts_with("board_") {
                    board
                } else {
                    None
                };
                resolve_one(state, store, target, &field, &other, resource, scope)?
            }
        };
        record.insert(field, resolved);
    }
    Ok(())
}

fn resolve_one(
    state: &ManageState,
    store: &Store,
    target: &str,
    field: &str,
    value: &Value,
    resource: &str,
    board: Option<i64>,
) -> Outcome<Value> {
    let Value::Object(map) = value else {
        return Err(invalid(
            resource,
            vec![field_error(
                "InvalidField",
                &format!(
                    "Error converting value {value} to a {field} reference: send an object such as {{\"id\": 1}}."
                ),
                resource,
                field,
            )],
        ));
    };
    let table = store.table(target);
    let in_board = |record: &Value| {
        board.is_none_or(|b| {
            record
                .get("board")
                .and_then(|x| x.get("id"))
                .and_then(Value::as_i64)
                == Some(b)
        })
    };
    let text_matches = |record: &Value, key: &str, want: &str| {
        let have = if key == "name" && target == "contacts" {
            let first = record
                .get("firstName")
                .and_then(Value::as_str)
                .unwrap_or("");
            let last = record.get("lastName").and_then(Value::as_str).unwrap_or("");
            Some(format!("{first} {last}"))
        } else {
            record
                .get(key)
                .or_else(|| (key == "name").then(|| record.get("description")).flatten())
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        have.is_some_and(|h| h.trim().eq_ignore_ascii_case(want.trim()))
    };
    let found = if let Some(id) = map.get("id").and_then(Value::as_i64) {
        table
            .and_then(|t| t.get(id))
            .filter(|r| in_board(r))
            .map(|r| (id, r))
    } else if let Some((key, want)) = ["identifier", "name"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str).map(|v| (*k, v)))
    {
        table.and_then(|t| {
            t.values()
                .find(|(_, r)| in_board(r) && text_matches(r, key, want))
        })
    } else {
        None
    };
    match found {
        Some((id, record)) => Ok(reference(target, id, &record, &state.href_base)),
        None => {
            let shown = map
                .get("id")
                .or_else(|| map.get("identifier"))
                .or_else(|| map.get("name"))
                .map(|v| v.to_string().trim_matches('"').to_owned())
                .unwrap_or_default();
            Err(invalid(
                resource,
                vec![field_error(
                    "NotFound",
                    &format!("{field} {shown} not found"),
                    resource,
                    &format!("{field}/id"),
                )],
            ))
        }
    }
}

/// A ticket's `closedFlag` follows its status; `initialDescription` is POST-only and becomes a note.
fn ticket_rules(
    state: &ManageState,
    store: &Store,
    record: &mut Map<String, Value>,
    existing: Option<&Value>,
) -> Outcome<Option<String>> {
    let initial = if existing.is_none() {
        record
            .remove("initialDescription")
            .and_then(|v| v.as_str().map(str::to_owned))
    } else {
        record.remove("initialDescription");
        None
    };
    let board = record
        .get("board")
        .and_then(|b| b.get("id"))
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let statuses = store.table("board_statuses");
    let status_id = record
        .get("status")
        .and_then(|s| s.get("id"))
        .and_then(Value::as_i64);
    let status_id = match status_id {
        Some(id) => id,
        None => {
            let default = statuses.and_then(|t| {
                t.values().find(|(_, s)| {
                    s.get("board")
                        .and_then(|b| b.get("id"))
                        .and_then(Value::as_i64)
                        == Some(board)
                })
            });
            let Some((id, status)) = default else {
                return Ok(initial);
            };
            record.insert(
                "status".into(),
                reference("board_statuses", id, &status, &state.href_base),
            );
            id
        }
    };
    let closed = statuses
        .and_then(|t| t.get(status_id))
        .and_then(|s| s.get("closedStatus").and_then(Value::as_bool))
        .unwrap_or(false);
    let was_closed = existing
        .and_then(|e| e.get("closedFlag"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    record.insert("closedFlag".into(), json!(closed));
    if closed && !was_closed {
        record.insert("closedDate".into(), json!(iso(state.ctx.clock().now())));
        record.insert("closedBy".into(), json!("apiuser"));
    } else if !closed {
        record.remove("closedDate");
        record.remove("closedBy");
    }
    Ok(initial)
}

fn note_rules(record: &Map<String, Value>) -> Outcome<()> {
    let flag = |f: &str| record.get(f).and_then(Value::as_bool).unwrap_or(false);
    if flag("detailDescriptionFlag") || flag("internalAnalysisFlag") || flag("resolutionFlag") {
        return Ok(());
    }
    Err(invalid(
        "serviceNote",
        vec![field_error(
            "ServiceNote",
            "Please choose where to display the notes in order to save this record.",
            "serviceNote",
            "detailDescriptionFlag, internalAnalysisFlag, resolutionFlag",
        )],
    ))
}

const CALLBACK_LEVELS: &[&str] = &[
    "owner",
    "status",
    "type",
    "company",
    "board",
    "project",
    "phase",
    "ticket",
    "contact",
    "configuration",
    "territory",
    "integratortag",
    "agreement",
    "activity",
    "member",
    "opportunity",
    "statusid",
];

fn callback_rules(
    store: &Store,
    record: &mut Map<String, Value>,
    existing: Option<&Value>,
) -> Outcome<()> {
    let mut errors = Vec::new();
    let url = record
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let valid_url = url::Url::parse(url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !valid_url {
        errors.push(field_error(
            "InvalidField",
            "Invalid URL",
            "callbackEntry",
            "url",
        ));
    }
    let level = record
        .get("level")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !CALLBACK_LEVELS.contains(&level.as_str()) {
        errors.push(field_error(
            "InvalidObject",
            "Unrecognized level for type, see documentation for supported levels for each type",
            "callbackEntry",
            "level",
        ));
    }
    if !errors.is_empty() {
        return Err(invalid("callbackEntry", errors));
    }
    if level == "owner" && record.get("objectId").and_then(Value::as_i64).unwrap_or(0) == 0 {
        record.insert("objectId".into(), json!(1));
    }
    record.entry("memberId").or_insert(json!(2));
    record
        .entry("connectWiseID")
        .or_insert_with(|| json!(uuid::Uuid::new_v4().to_string()));
    let key = |r: &Value| {
        (
            r.get("url")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            r.get("type")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            r.get("level")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            r.get("objectId").and_then(Value::as_i64),
        )
    };
    let mine = key(&Value::Object(record.clone()));
    let own_id = existing.and_then(|e| e.get("id")).and_then(Value::as_i64);
    let duplicate = store.table("callbacks").is_some_and(|t| {
        t.values()
            .any(|(id, r)| Some(id) != own_id && key(&r) == mine)
    });
    if duplicate {
        return Err(invalid(
            "callbackEntry",
            vec![field_error(
                "ObjectExists",
                "A matching callback entry already exists",
                "callbackEntry",
                "url",
            )],
        ));
    }
    Ok(())
}

fn unique_identifier(
    store: &Store,
    record: &Map<String, Value>,
    existing: Option<&Value>,
) -> Outcome<()> {
    let Some(identifier) = record.get("identifier").and_then(Value::as_str) else {
        return Ok(());
    };
    let own_id = existing.and_then(|e| e.get("id")).and_then(Value::as_i64);
    let taken = store.table("companies").is_some_and(|t| {
        t.values().any(|(id, r)| {
            Some(id) != own_id
                && r.get("identifier")
                    .and_then(Value::as_str)
                    .is_some_and(|i| i.eq_ignore_ascii_case(identifier))
        })
    });
    if taken {
        return Err(invalid(
            "company",
            vec![field_error(
                "ObjectExists",
                &format!("The identifier {identifier} is already in use."),
                "company",
                "identifier",
            )],
        ));
    }
    Ok(())
}
