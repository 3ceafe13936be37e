//! Reading: dispatching a collection request, filters, ordering, field selection and both pagination styles.
// Handlers short-circuit with the finished HTTP error response; it is built once per failing request,
// so its size does not matter and boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::cmp::Ordering;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::conditions::{self, ConditionError, Expr, resolve};
use super::store::{Access, ParentLink, Route, Table};
use super::{ManageState, error, json_response, write};

/// The parts of a request the resource handlers read.
pub(crate) struct Request<'a> {
    pub(crate) method: &'a Method,
    pub(crate) uri: &'a Uri,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
}

/// Most records a page may hold.
const MAX_PAGE_SIZE: usize = 1000;
/// The vendor's default page size.
const DEFAULT_PAGE_SIZE: usize = 25;

pub(crate) fn method_not_allowed(method: &Method) -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "ConnectWiseApi",
        &format!("The requested resource does not support http method '{method}'."),
    )
}

/// Routes a collection request to list, count, search, get or a write.
pub(crate) fn dispatch(state: &ManageState, route: &Route<'_>, req: &Request<'_>) -> Response {
    let resource = route.resource;
    if let (Some(parent_id), Some((parent_table, _))) = (route.parent_id, resource.parent) {
        let exists = state
            .read()
            .table(parent_table)
            .is_some_and(|t| t.rows.contains_key(&parent_id));
        if !exists {
            return error(
                StatusCode::NOT_FOUND,
                "NotFound",
                &format!("{} {parent_id} not found", parent_noun(parent_table)),
            );
        }
    }
    let rest: Vec<String> = route.rest.iter().map(|s| s.to_ascii_lowercase()).collect();
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let method = req.method;
    match (rest.as_slice(), method) {
        ([], &Method::GET) => read(state, route, req, None, false),
        ([], &Method::POST) if resource.access != Access::ReadOnly => {
            write::create(state, route, req.body)
        }
        (["count"], &Method::GET) => read(state, route, req, None, true),
        (["search"], &Method::POST) => match search_body(req.body) {
            Ok(body) => read(state, route, req, Some(body), false),
            Err(response) => response,
        },
        (["count"] | ["search"], _) => method_not_allowed(method),
        ([id], _) => match id.parse::<i64>() {
            Ok(id) => item(state, route, req, id),
            Err(_) => error(
                StatusCode::NOT_FOUND,
                "ConnectWiseApi",
                "The endpoint does not exist.",
            ),
        },
        ([], _) => method_not_allowed(method),
        _ => error(
            StatusCode::NOT_FOUND,
            "ConnectWiseApi",
            "The endpoint does not exist.",
        ),
    }
}

fn parent_noun(table: &str) -> &'static str {
    match table {
        "companies" => "Company",
        "tickets" => "Service Ticket",
        _ => "Board",
    }
}

fn item(state: &ManageState, route: &Route<'_>, req: &Request<'_>, id: i64) -> Response {
    let access = route.resource.access;
    match *req.method {
        Method::GET => get_one(state, route, req, id),
        Method::PATCH if access != Access::ReadOnly => write::patch(state, route, id, req.body),
        Method::PUT if access != Access::ReadOnly => write::put(state, route, id, req.body),
        Method::DELETE if access == Access::WriteDelete => write::delete(state, route, id),
        _ => method_not_allowed(req.method),
    }
}

/// True when `record` belongs to the parent named in the URL.
pub(crate) fn in_parent(route: &Route<'_>, record: &Value) -> bool {
    let (Some(parent_id), Some((_, link))) = (route.parent_id, route.resource.parent) else {
        return true;
    };
    let value = match link {
        ParentLink::Reference(field) => record.get(field).and_then(|r| r.get("id")),
        ParentLink::Scalar(field) => record.get(field),
    };
    value.and_then(Value::as_i64) == Some(parent_id)
}

fn not_found(route: &Route<'_>, id: i64) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("{} {id} not found", route.resource.noun),
    )
}

fn get_one(state: &ManageState, route: &Route<'_>, req: &Request<'_>, id: i64) -> Response {
    let params = match Params::parse(req.uri.query()) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let store = state.read();
    let record = store
        .table(route.resource.table)
        .and_then(|t| t.get(id))
        .filter(|r| in_parent(route, r));
    match record {
        Some(record) => {
            let out = match &params.fields {
                Some(fields) => project(&record, fields),
                None => record,
            };
            json_response(StatusCode::OK, out.to_string())
        }
        None => not_found(route, id),
    }
}

/// Query parameters of a list, count or search.
#[derive(Debug, Default)]
struct Params {
    conditions: Option<String>,
    child_conditions: Option<String>,
    custom_field_conditions: Option<String>,
    order_by: Option<String>,
    fields: Option<Vec<String>>,
    page: Option<usize>,
    page_size: Option<usize>,
    page_id: Option<i64>,
    /// Every pair in order, to rebuild `Link` URLs.
    pairs: Vec<(String, String)>,
}

fn bad_param(name: &str, value: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "InvalidObject",
        &format!("The value '{value}' is not valid for {name}."),
    )
}

impl Params {
    fn parse(query: Option<&str>) -> Result<Self, Response> {
        let mut params = Params::default();
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let (key, value) = (key.into_owned(), value.into_owned());
            let non_empty = || Some(value.clone()).filter(|v| !v.trim().is_empty());
            match key.to_ascii_lowercase().as_str() {
                "conditions" => params.conditions = non_empty(),
                "childconditions" => params.child_conditions = non_empty(),
                "customfieldconditions" => params.custom_field_conditions = non_empty(),
                "orderby" => params.order_by = non_empty(),
                "fields" => {
                    params.fields = non_empty().map(|f| {
                        f.split(',')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                }
                "page" => {
                    let page = value.trim().parse::<usize>().ok().filter(|p| *p >= 1);
                    params.page = Some(page.ok_or_else(|| bad_param("page", &value))?);
                }
                "pagesize" => {
                    let size = value.trim().parse::<usize>().ok().filter(|p| *p >= 1);
                    let size = size.ok_or_else(|| bad_param("pageSize", &value))?;
                    params.page_size = Some(size.min(MAX_PAGE_SIZE));
                }
                "pageid" => {
                    let id = value.trim().parse::<i64>().ok();
                    params.page_id = Some(id.ok_or_else(|| bad_param("pageId", &value))?);
                }
                _ => {}
            }
            params.pairs.push((key, value));
        }
        Ok(params)
    }
}

/// The JSON body of `POST .../search` (keys matched case-insensitively: the vendor spells them lower-case).
fn search_body(body: &Bytes) -> Result<Params, Response> {
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            "The search body must be a JSON object with conditions, orderBy, childConditions or customFieldConditions.",
        )
    })?;
    let Value::Object(map) = value else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            "The search body must be a JSON object.",
        ));
    };
    let mut params = Params::default();
    for (key, value) in map {
        let text = value
            .as_str()
            .map(str::to_owned)
            .filter(|v| !v.trim().is_empty());
        match key.to_ascii_lowercase().as_str() {
            "conditions" => params.conditions = text,
            "childconditions" => params.child_conditions = text,
            "customfieldconditions" => params.custom_field_conditions = text,
            "orderby" => params.order_by = text,
            _ => {}
        }
    }
    Ok(params)
}

/// The compiled filter of one request.
struct Filter {
    conditions: Option<Expr>,
    child: Option<Expr>,
    custom: Option<Expr>,
    /// Text every matching row's JSON holds (see [`Expr::required_text`]).
    required: Vec<String>,
}

fn condition_error(e: ConditionError) -> Response {
    error(StatusCode::BAD_REQUEST, "ApiFindCondition", &e.0)
}

impl Filter {
    fn compile(params: &Params, table: &Table) -> Result<Self, Response> {
        let parse = |text: &Option<String>| -> Result<Option<Expr>, Response> {
            text.as_deref()
                .map(conditions::parse)
                .transpose()
                .map_err(condition_error)
        };
        let mut filter = Filter {
            conditions: parse(&params.conditions)?,
            child: parse(&params.child_conditions)?,
            custom: parse(&params.custom_field_conditions)?,
            required: Vec::new(),
        };
        filter.required = [&filter.conditions, &filter.child]
            .into_iter()
            .flatten()
            .flat_map(Expr::required_text)
            .collect();
        for expr in [&filter.conditions, &filter.child].into_iter().flatten() {
            for path in expr.paths() {
                let first = path.first().map(String::as_str).unwrap_or("");
                if !table.knows(first) {
                    return Err(error(
                        StatusCode::BAD_REQUEST,
                        "ApiFindCondition",
                        &format!("{first} is not a recognized name."),
                    ));
                }
            }
        }
        Ok(filter)
    }

    fn is_empty(&self) -> bool {
        self.conditions.is_none() && self.child.is_none() && self.custom.is_none()
    }

    /// The parsed row when it may match: a row whose text lacks the required text is skipped unparsed,
    /// except the first one looked at (`index` 0), which is always evaluated so a condition of the wrong
    /// type still fails the request as on the vendor (a field has one type across a table).
    fn candidate(&self, raw: &str, index: usize) -> Option<Value> {
        if index > 0 && !self.required.iter().all(|t| conditions::holds_text(raw, t)) {
            return None;
        }
        serde_json::from_str(raw).ok()
    }

    fn matches(&self, record: &Value) -> Result<bool, ConditionError> {
        for expr in [&self.conditions, &self.child].into_iter().flatten() {
            if !expr.eval(record)? {
                return Ok(false);
            }
        }
        if let Some(custom) = &self.custom {
            let fields = record.get("customFields").and_then(Value::as_array);
            let mut any = false;
            for field in fields.into_iter().flatten() {
                if custom.eval(field)? {
                    any = true;
                    break;
                }
            }
            return Ok(any);
        }
        Ok(true)
    }
}

/// One `orderBy` key.
struct SortKey {
    path: Vec<String>,
    descending: bool,
}

fn parse_order(text: &str, table: &Table) -> Result<Vec<SortKey>, Response> {
    let mut keys = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let field = words.next().unwrap_or_default();
        let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidObject",
                    &format!("'{other}' is not a valid sort direction: use asc or desc."),
                ));
            }
        };
        let path: Vec<String> = field.split('/').map(str::to_owned).collect();
        if !table.knows(&path[0]) || words.next().is_some() {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "InvalidObject",
                &format!("{field} is not a valid orderBy field."),
            ));
        }
        keys.push(SortKey { path, descending });
    }
    Ok(keys)
}

fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// What a page holds before rendering: raw row text, or a parsed row.
enum Row<'a> {
    Raw(&'a str),
    Parsed(Value),
}

/// Lists, counts or searches a collection.
fn read(
    state: &ManageState,
    route: &Route<'_>,
    req: &Request<'_>,
    body: Option<Params>,
    count_only: bool,
) -> Response {
    let mut params = match Params::parse(req.uri.query()) {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Some(body) = body {
        params.conditions = body.conditions.or(params.conditions);
        params.child_conditions = body.child_conditions.or(params.child_conditions);
        params.custom_field_conditions = body
            .custom_field_conditions
            .or(params.custom_field_conditions);
        params.order_by = body.order_by.or(params.order_by);
    }
    let store = state.read();
    let empty = Table::default();
    let table = store.table(route.resource.table).unwrap_or(&empty);
    let filter = match Filter::compile(&params, table) {
        Ok(f) => f,
        Err(response) => return response,
    };
    let scoped = route.parent_id.is_some();
    if count_only {
        return match count(table, &filter, route, scoped) {
            Ok(n) => json_response(StatusCode::OK, json!({"count": n}).to_string()),
            Err(e) => condition_error(e),
        };
    }
    let forward_only = req
        .headers
        .get("pagination-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("forward-only"));
    let page_size = params.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    let page = if forward_only {
        if params.order_by.is_some() {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidObject",
                "orderBy is not supported with forward-only pagination.",
            );
        }
        forward_page(
            table,
            &filter,
            route,
            scoped,
            params.page_id.unwrap_or(0),
            page_size,
        )
    } else {
        let order = match params.order_by.as_deref().map(|o| parse_order(o, table)) {
            Some(Ok(keys)) => keys,
            Some(Err(response)) => return response,
            None => Vec::new(),
        };
        navigable_page(
            table,
            &filter,
            route,
            scoped,
            &order,
            params.page.unwrap_or(1),
            page_size,
        )
    };
    let (rows, link) = match page {
        Ok(page) => page,
        Err(e) => return condition_error(e),
    };
    let body = render(rows, params.fields.as_deref());
    let mut response = json_response(StatusCode::OK, body);
    let link = link.render(state.ctx.base_url(), req.uri.path(), &params.pairs);
    if let Ok(value) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

fn count(
    table: &Table,
    filter: &Filter,
    route: &Route<'_>,
    scoped: bool,
) -> Result<usize, ConditionError> {
    if filter.is_empty() && !scoped {
        return Ok(table.rows.len());
    }
    let mut n = 0;
    for (index, raw) in table.rows.values().enumerate() {
        let Some(record) = filter.candidate(raw, index) else {
            continue;
        };
        if in_parent(route, &record) && filter.matches(&record)? {
            n += 1;
        }
    }
    Ok(n)
}

/// Where the `Link` header points.
enum Links {
    /// Forward-only: the next `pageId`, or none at the end (an empty `Link`).
    Forward(Option<i64>),
    /// Navigable: current page and the last page.
    Pages { page: usize, last: usize },
}

impl Links {
    fn render(&self, base: &str, path: &str, pairs: &[(String, String)]) -> String {
        let url = |key: &str, value: String| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            let mut replaced = false;
            for (k, v) in pairs {
                if k.eq_ignore_ascii_case(key) {
                    if !replaced {
                        query.append_pair(k, &value);
                        replaced = true;
                    }
                } else if !(key == "pageId" && k.eq_ignore_ascii_case("page")) {
                    query.append_pair(k, v);
                }
            }
            if !replaced {
                query.append_pair(key, &value);
            }
            format!("{base}{path}?{}", query.finish())
        };
        match self {
            Links::Forward(None) => String::new(),
            Links::Forward(Some(next)) => {
                format!("<{}>; rel=\"next\"", url("pageId", next.to_string()))
            }
            Links::Pages { page, last } => {
                let mut parts = Vec::new();
                if *page > 1 {
                    parts.push(format!("<{}>; rel=\"first\"", url("page", "1".into())));
                    parts.push(format!(
                        "<{}>; rel=\"prev\"",
                        url("page", (page - 1).to_string())
                    ));
                }
                if page < last {
                    parts.push(format!(
                        "<{}>; rel=\"next\"",
                        url("page", (page + 1).to_string())
                    ));
                    parts.push(format!("<{}>; rel=\"last\"", url("page", last.to_string())));
                }
                parts.join(", ")
            }
        }
    }
}

type Page<'a> = Result<(Vec<Row<'a>>, Links), ConditionError>;

fn forward_page<'a>(
    table: &'a Table,
    filter: &Filter,
    route: &Route<'_>,
    scoped: bool,
    after: i64,
    size: usize,
) -> Page<'a> {
    let mut rows = Vec::with_capacity(size.min(table.rows.len()));
    let mut last = None;
    let mut more = false;
    for (index, (id, raw)) in table.rows.range(after.saturating_add(1)..).enumerate() {
        let row = if filter.is_empty() && !scoped {
            Row::Raw(raw)
        } else {
            let Some(record) = filter.candidate(raw, index) else {
                continue;
            };
            if !in_parent(route, &record) || !filter.matches(&record)? {
                continue;
            }
            Row::Parsed(record)
        };
        if rows.len() == size {
            more = true;
            break;
        }
        rows.push(row);
        last = Some(*id);
    }
    Ok((rows, Links::Forward(last.filter(|_| more))))
}

fn navigable_page<'a>(
    table: &'a Table,
    filter: &Filter,
    route: &Route<'_>,
    scoped: bool,
    order: &[SortKey],
    page: usize,
    size: usize,
) -> Page<'a> {
    let skip = (page - 1).saturating_mul(size);
    let links = |total: usize| Links::Pages {
        page,
        last: total.div_ceil(size).max(1),
    };
    if order.is_empty() && filter.is_empty() && !scoped {
        let rows = table
            .rows
            .values()
            .skip(skip)
            .take(size)
            .map(|raw| Row::Raw(raw))
            .collect();
        return Ok((rows, links(table.rows.len())));
    }
    let mut matched = Vec::new();
    for (index, raw) in table.rows.values().enumerate() {
        let Some(record) = filter.candidate(raw, index) else {
            continue;
        };
        if in_parent(route, &record) && filter.matches(&record)? {
            matched.push(record);
        }
    }
    if !order.is_empty() {
        matched.sort_by(|a, b| {
            for key in order {
                let ord = compare_values(
                    resolve(a, &key.path).first().copied(),
                    resolve(b, &key.path).first().copied(),
                );
                let ord = if key.descending { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
    }
    let total = matched.len();
    let rows = matched
        .into_iter()
        .skip(skip)
        .take(size)
        .map(Row::Parsed)
        .collect();
    Ok((rows, links(total)))
}

fn render(rows: Vec<Row<'_>>, fields: Option<&[String]>) -> String {
    let mut out = String::with_capacity(rows.len() * 512 + 2);
    out.push('[');
    for (i, row) in rows.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match (row, fields) {
            (Row::Raw(raw), None) => out.push_str(raw),
            (Row::Parsed(value), None) => out.push_str(&value.to_string()),
            (Row::Raw(raw), Some(fields)) => {
                let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
                out.push_str(&project(&value, fields).to_string());
            }
            (Row::Parsed(value), Some(fields)) => {
                out.push_str(&project(&value, fields).to_string())
            }
        }
    }
    out.push(']');
    out
}

/// Keeps only the listed fields (`id,name,status/id`), nested paths included.
pub(crate) fn project(record: &Value, fields: &[String]) -> Value {
    let mut out = Map::new();
    for field in fields {
        let path: Vec<&str> = field.split('/').collect();
        if let Some(value) = lookup(record, &path) {
            insert_path(&mut out, &path, value.clone());
        }
    }
    Value::Object(out)
}

fn lookup<'a>(record: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(record, |value, segment| {
        let map = value.as_object()?;
        map.get(*segment).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(segment))
                .map(|(_, v)| v)
        })
    })
}

fn insert_path(out: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            out.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => {
            let entry = out
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}
