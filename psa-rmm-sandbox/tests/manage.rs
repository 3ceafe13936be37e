//! The Manage fake against plain reqwest: auth, codebase, conditions, both pagination styles, writes,
//! rate limit, faults.

use std::collections::HashSet;
use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use psa_rmm_sandbox::{
    Fault, FaultKind, ManageOptions, Sandbox, SandboxOptions, TenantSpec, Vendor,
};

struct Manage {
    sandbox: Sandbox,
    client: Client,
    api: String,
}

impl Manage {
    async fn start(options: SandboxOptions) -> Self {
        let sandbox = Sandbox::start(options).await.expect("sandbox starts");
        let api = format!("{}/v4_6_release/apis/3.0", sandbox.manage_access().base_url);
        Self {
            sandbox,
            client: Client::new(),
            api,
        }
    }

    async fn tiny() -> Self {
        Self::start(SandboxOptions::default().tenant(TenantSpec::tiny())).await
    }

    fn auth(&self, req: RequestBuilder) -> RequestBuilder {
        let a = self.sandbox.manage_access();
        req.basic_auth(
            format!("{}+{}", a.company_id, a.public_key),
            Some(a.private_key),
        )
        .header("clientId", a.client_id)
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.auth(self.client.get(format!("{}/{path}", self.api)))
    }

    async fn list(&self, path: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = self.get(path).query(query).send().await.expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let r = self
            .auth(self.client.request(method, format!("{}/{path}", self.api)))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

fn next_link(r: &Response) -> Option<String> {
    let link = r.headers().get("link")?.to_str().ok()?;
    link.split(',')
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| part.split(['<', '>']).nth(1))
        .map(str::to_owned)
}

#[tokio::test]
async fn companyinfo_and_system_info() {
    let m = Manage::tiny().await;
    let access = m.sandbox.manage_access();
    let info: Value = reqwest::get(format!(
        "{}/login/companyinfo/{}",
        access.base_url, access.company_id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(info["Codebase"], "v4_6_release/");
    assert_eq!(info["CompanyID"], access.company_id);
    let r = m.get("system/info").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-cw-request-id"));
    let body: Value = r.json().await.unwrap();
    assert!(body["version"].as_str().unwrap().starts_with("v20"));
}

#[tokio::test]
async fn auth_failures_are_401_and_403_with_vendor_bodies() {
    let m = Manage::tiny().await;
    let a = m.sandbox.manage_access();
    let url = format!("{}/system/info", m.api);
    let cases = [
        (None, Some(a.client_id.clone()), 401),
        (
            Some((
                format!("{}+{}", a.company_id, a.public_key),
                "wrong".to_owned(),
            )),
            Some(a.client_id.clone()),
            401,
        ),
        (
            Some((format!("other+{}", a.public_key), a.private_key.clone())),
            Some(a.client_id.clone()),
            401,
        ),
        (
            Some((
                format!("{}+{}", a.company_id, a.public_key),
                a.private_key.clone(),
            )),
            None,
            403,
        ),
    ];
    for (basic, client_id, want) in cases {
        let mut req = m.client.get(&url);
        if let Some((user, pass)) = basic {
            req = req.basic_auth(user, Some(pass));
        }
        if let Some(id) = client_id {
            req = req.header("clientId", id);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), want);
        let body: Value = r.json().await.unwrap();
        assert!(
            body["code"].is_string() && body["message"].is_string(),
            "{body}"
        );
        assert!(!body.to_string().contains(&a.private_key));
    }
    // The login company is matched case-insensitively, as the vendor does.
    let r = m
        .client
        .get(&url)
        .basic_auth(
            format!("{}+{}", a.company_id.to_uppercase(), a.public_key),
            Some(&a.private_key),
        )
        .header("ClientID", &a.client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn conditions_table() {
    let m = Manage::tiny().await;
    let tenant = m.sandbox.tenant().clone();
    let first = &tenant.psa_configurations[0];
    let company: i64 = first.company.as_ref().unwrap().id.parse().unwrap();
    let in_company = tenant
        .psa_configurations
        .iter()
        .filter(|c| c.company.as_ref().map(|r| r.id.as_str()) == Some(&company.to_string()))
        .count();
    let total = tenant.psa_configurations.len();
    let inactive = tenant
        .psa_configurations
        .iter()
        .filter(|c| !c.active)
        .count();
    let name = first.hostname.clone().unwrap();
    let id: i64 = first.external.id.parse().unwrap();
    let cases: Vec<(String, usize)> = vec![
        (format!("company/id = {company}"), in_company),
        (format!("company/id != {company}"), total - in_company),
        (format!("id = {id}"), 1),
        (format!("id <= {id}"), 1),
        (format!("id < {id}"), 0),
        (format!("id > {id}"), total - 1),
        (format!("id >= {id}"), total),
        (format!("name = \"{}\"", name.to_lowercase()), 1),
        (format!("name = '{name}'"), 1),
        (format!("name contains \"{}\"", &name[1..name.len() - 1]), 1),
        (format!("name like \"{}%\"", &name[..name.len() - 1]), 1),
        (
            format!("name not like \"{}%\"", &name[..name.len() - 1]),
            total - 1,
        ),
        (format!("id in ({id}, 999999)"), 1),
        (format!("id not in ({id})"), total - 1),
        ("activeFlag = false".into(), inactive),
        ("activeFlag = true".into(), total - inactive),
        ("lastUpdated > [2000-01-01T00:00:00Z]".into(), total),
        ("lastUpdated < [2000-01-01T00:00:00Z]".into(), 0),
        ("tagNumber = null".into(), total),
        ("name != null".into(), total),
        (
            format!("(id = {id} or id = -1) and company/id = {company}"),
            1,
        ),
        (
            format!("id = {id} AND (name = \"nope\" OR company/id = {company})"),
            1,
        ),
        // Injection attempt: the quote is escaped, so the whole thing is one literal that matches nothing.
        (r#"name = "x\" or id>0""#.into(), 0),
        (r#"name contains "\" or 1=1 or name=\"""#.into(), 0),
    ];
    for (cond, want) in cases {
        let (status, body) = m
            .list(
                "company/configurations",
                &[("conditions", &cond), ("pageSize", "1000")],
            )
            .await;
        assert_eq!(status, 200, "{cond}: {body}");
        assert_eq!(ids(&body).len(), want, "{cond}");
        let (_, count) = m
            .list("company/configurations/count", &[("conditions", &cond)])
            .await;
        assert_eq!(count["count"].as_u64(), Some(want as u64), "{cond}");
    }
    for bad in [
        "id =",
        "id = = 5",
        "(id = 1",
        "name = \"open",
        "name = unquoted",
        "activeFlag = 1",
        "id = \"5\"",
        "lastUpdated > [not a date]",
        "id = 1 and or id = 2",
        "id in ()",
    ] {
        let (status, body) = m
            .list("company/configurations", &[("conditions", bad)])
            .await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["code"], "ApiFindCondition", "{bad}");
    }
    // customFieldConditions match one custom field entry; childConditions reach into arrays.
    let gold = tenant
        .psa_companies
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .count();
    let (status, body) = m
        .list(
            "company/companies",
            &[(
                "customFieldConditions",
                "caption = \"Account Tier\" and value = \"gold\"",
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body).len(), gold);
    let contact = &m.list("company/contacts", &[]).await.1[0];
    let email = contact["communicationItems"][0]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = m
        .list(
            "company/contacts",
            &[("childConditions", &format!("communicationItems/value like \"{email}\" AND communicationItems/communicationType = \"Email\""))],
        )
        .await;
    assert!(ids(&body).contains(&contact["id"].as_i64().unwrap()));

    let (status, body) = m
        .list("company/configurations", &[("conditions", "nmae = \"x\"")])
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "nmae is not a recognized name.");
}

#[tokio::test]
async fn both_pagination_styles_visit_every_record_once() {
    let m = Manage::start(SandboxOptions::default().tenant(TenantSpec::small())).await;
    let expected: HashSet<i64> = m
        .sandbox
        .tenant()
        .psa_configurations
        .iter()
        .map(|c| c.external.id.parse().unwrap())
        .collect();
    assert!(expected.len() > 500);

    // Navigable: page + pageSize, follow Link rel="next".
    let mut url = format!("{}/company/configurations?pageSize=100", m.api);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = m.auth(m.client.get(&url)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let next = next_link(&r);
        seen.extend(ids(&r.json::<Value>().await.unwrap()));
        pages += 1;
        match next {
            Some(n) => url = n,
            None => break,
        }
    }
    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(pages, expected.len().div_ceil(100));

    // Forward-only: pageId, ordered by id, Link rel="next" until the end.
    let mut url = format!("{}/company/configurations?pageSize=250", m.api);
    let mut seen = Vec::new();
    loop {
        let r = m
            .auth(m.client.get(&url))
            .header("pagination-type", "forward-only")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers().contains_key("link"));
        let next = next_link(&r);
        seen.extend(ids(&r.json::<Value>().await.unwrap()));
        match next {
            Some(n) => {
                assert!(n.contains("pageId="));
                url = n;
            }
            None => break,
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(seen.len(), expected.len());

    // Forward-only with a filter keeps the filter in the next link.
    let company = m.sandbox.tenant().psa_configurations[0]
        .company
        .clone()
        .unwrap()
        .id;
    let cond = format!("company/id = {company}");
    let want = m
        .sandbox
        .tenant()
        .psa_configurations
        .iter()
        .filter(|c| c.company.as_ref().unwrap().id == company)
        .count();
    let mut url = format!(
        "{}/company/configurations?pageSize=7&conditions={}",
        m.api,
        urlencode(&cond)
    );
    let mut n = 0;
    loop {
        let r = m
            .auth(m.client.get(&url))
            .header("pagination-type", "forward-only")
            .send()
            .await
            .unwrap();
        let next = next_link(&r);
        n += ids(&r.json::<Value>().await.unwrap()).len();
        match next {
            Some(next) => url = next,
            None => break,
        }
    }
    assert_eq!(n, want);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn page_size_default_cap_order_and_fields() {
    let m = Manage::start(SandboxOptions::default().tenant(TenantSpec::new(5, 20, 1_400))).await;
    assert!(m.sandbox.tenant().psa_configurations.len() > 1000);
    let (_, body) = m.list("company/configurations", &[]).await;
    assert_eq!(ids(&body).len(), 25, "vendor default page size");
    let (_, body) = m
        .list("company/configurations", &[("pageSize", "5000")])
        .await;
    assert_eq!(ids(&body).len(), 1000, "capped at 1000");
    let (status, _) = m
        .list("company/configurations", &[("pageSize", "abc")])
        .await;
    assert_eq!(status, 400);

    let (_, body) = m
        .list(
            "company/companies",
            &[
                ("orderBy", "name desc"),
                ("fields", "id,name,status/name"),
                ("pageSize", "1000"),
            ],
        )
        .await;
    let rows = body.as_array().unwrap();
    let names: Vec<String> = rows
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    for row in rows {
        let keys: HashSet<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, HashSet::from(["id", "name", "status"]));
        assert!(row["status"]["name"].is_string());
        assert!(row["status"].get("id").is_none());
    }
    let r = m
        .get("company/companies")
        .query(&[("orderBy", "name asc")])
        .header("pagination-type", "forward-only")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "orderBy is not allowed with forward-only");
}

#[tokio::test]
async fn search_endpoint_takes_long_conditions_in_the_body() {
    let m = Manage::tiny().await;
    let wanted: Vec<i64> = m
        .sandbox
        .tenant()
        .psa_configurations
        .iter()
        .take(40)
        .map(|c| c.external.id.parse().unwrap())
        .collect();
    let list = wanted
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let cond = format!("id in ({list}) and name != null");
    let (status, body) = m
        .send_json(
            reqwest::Method::POST,
            "company/configurations/search?pageSize=1000",
            json!({"conditions": cond, "orderBy": "id desc"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let got = ids(&body);
    let mut want = wanted.clone();
    want.sort_by(|a, b| b.cmp(a));
    assert_eq!(got, want);
}

#[tokio::test]
async fn create_then_list_and_validation_errors() {
    let m = Manage::tiny().await;
    let company = m.sandbox.tenant().psa_companies[0].clone();
    let identifier = company.identifier.clone().unwrap();
    let (status, created) = m
        .send_json(
            reqwest::Method::POST,
            "company/configurations",
            json!({"name": "NEW-WS001", "type": {"name": "managed workstation"}, "company": {"identifier": identifier},
                   "serialNumber": "SBX123", "deviceIdentifier": "rmm-uid-1"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        created["company"]["id"].as_i64().unwrap().to_string(),
        company.external.id
    );
    assert_eq!(created["type"]["name"], "Managed Workstation");
    assert_eq!(created["status"]["name"], "Active");
    assert!(created["_info"]["lastUpdated"].is_string());
    let (_, found) = m
        .list(
            "company/configurations",
            &[("conditions", "deviceIdentifier = \"rmm-uid-1\"")],
        )
        .await;
    assert_eq!(ids(&found), vec![id]);
    let (status, one) = m.list(&format!("company/configurations/{id}"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(one["serialNumber"], "SBX123");

    let (status, err) = m
        .send_json(
            reqwest::Method::POST,
            "company/configurations",
            json!({"name": "X"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["code"], "InvalidObject");
    let fields: HashSet<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, HashSet::from(["type", "company"]));
    assert!(
        err["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["code"] == "MissingRequiredField")
    );

    let (status, err) = m
        .send_json(
            reqwest::Method::POST,
            "company/configurations",
            json!({"name": "X", "type": {"id": 1}, "company": {"id": 99999999}}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["errors"][0]["code"], "NotFound");
    assert_eq!(err["errors"][0]["field"], "company/id");

    let (status, err) = m
        .send_json(
            reqwest::Method::POST,
            "company/configurations",
            json!({"name": "X", "type": {"id": 1}, "company": 250}),
        )
        .await;
    assert_eq!(status, 400, "a scalar where a reference is expected: {err}");

    let (status, _) = m
        .send_json(
            reqwest::Method::POST,
            "service/priorities",
            json!({"name": "P9"}),
        )
        .await;
    assert_eq!(status, 405);
    let (status, body) = m.list("company/configurations/99999999", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "NotFound");
    let (status, body) = m.list("company/nothing", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(body["message"], "The endpoint does not exist.");
}

#[tokio::test]
async fn patch_round_trip_false_200_hook_and_delete() {
    let m = Manage::tiny().await;
    let id: i64 = m.sandbox.tenant().psa_configurations[0]
        .external
        .id
        .parse()
        .unwrap();
    let path = format!("company/configurations/{id}");
    let (status, patched) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "name", "value": "RENAMED-01"},
                   {"op": "replace", "path": "/status", "value": {"name": "Inactive"}},
                   {"op": "replace", "path": "deviceIdentifier", "value": "uid-9"}]),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["name"], "RENAMED-01");
    assert_eq!(patched["status"]["name"], "Inactive");
    let (_, read) = m.list(&path, &[]).await;
    assert_eq!(read, patched);

    let control = m.sandbox.manage_control().unwrap();
    control.ignore_next_patches(1);
    let (status, answered) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "name", "value": "IGNORED"}]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(answered["name"], "RENAMED-01");
    assert_eq!(
        control.record("company/configurations", id).unwrap()["name"],
        "RENAMED-01"
    );

    // Patching inside a reference is accepted and ignored (the vendor's documented false 200).
    let (status, answered) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "company/identifier", "value": "Other"}]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(answered["company"], read["company"]);

    let (status, body) = m
        .send_json(reqwest::Method::PATCH, &path, json!({"op": "replace"}))
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "id", "value": 1}]),
        )
        .await;
    assert_eq!(status, 400);

    let r = m
        .auth(m.client.delete(format!("{}/{path}", m.api)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, _) = m.list(&path, &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn tickets_close_through_status_and_notes_need_a_flag() {
    let m = Manage::tiny().await;
    let company = m.sandbox.tenant().psa_companies[0]
        .external
        .id
        .parse::<i64>()
        .unwrap();
    let (status, ticket) = m
        .send_json(
            reqwest::Method::POST,
            "service/tickets",
            json!({"summary": "Disk full on SRV01", "company": {"id": company}, "board": {"name": "Alerts"},
                   "subType": {"name": "Alert - General"}, "initialDescription": "C: below 5%"}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    let id = ticket["id"].as_i64().unwrap();
    // The subtype is looked up within the board named (Alerts is board 2), not on the first board.
    let board = ticket["board"]["id"].as_i64().unwrap();
    let subtype = ticket["subType"]["id"].as_i64().unwrap();
    let (_, subtypes) = m
        .list(&format!("service/boards/{board}/subtypes"), &[])
        .await;
    assert!(ids(&subtypes).contains(&subtype), "{ticket}");
    assert_eq!(ticket["closedFlag"], false);
    assert!(ticket.get("initialDescription").is_none());
    let (_, notes) = m.list(&format!("service/tickets/{id}/notes"), &[]).await;
    assert_eq!(notes[0]["text"], "C: below 5%");

    // closedFlag alone: 200 but nothing changes.
    let path = format!("service/tickets/{id}");
    let (status, same) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "closedFlag", "value": true}]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(same["closedFlag"], false);
    // A closed status of the ticket's board closes it.
    let (status, closed) = m
        .send_json(
            reqwest::Method::PATCH,
            &path,
            json!([{"op": "replace", "path": "status", "value": {"name": "Closed"}}]),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["closedFlag"], true);
    assert!(closed["closedDate"].is_string());

    let (status, err) = m
        .send_json(
            reqwest::Method::POST,
            &format!("service/tickets/{id}/notes"),
            json!({"text": "hello"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["errors"][0]["code"], "ServiceNote");
    let (status, _) = m
        .send_json(
            reqwest::Method::POST,
            &format!("service/tickets/{id}/notes"),
            json!({"text": "hello", "internalAnalysisFlag": true}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, count) = m
        .list(&format!("service/tickets/{id}/notes/count"), &[])
        .await;
    assert_eq!(count["count"], 2);
    let (status, _) = m.list("service/tickets/99999999/notes", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn callbacks_register_once() {
    let m = Manage::tiny().await;
    let entry = json!({"url": "https://hooks.example.com/cw?recordId=", "objectId": 0, "type": "ticket", "level": "owner"});
    let (status, created) = m
        .send_json(reqwest::Method::POST, "system/callbacks", entry.clone())
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        created["objectId"], 1,
        "owner level normalises objectId 0 to 1"
    );
    let (status, dup) = m
        .send_json(reqwest::Method::POST, "system/callbacks", entry)
        .await;
    assert_eq!(status, 400);
    assert_eq!(dup["errors"][0]["code"], "ObjectExists");
    let (status, bad) = m
        .send_json(
            reqwest::Method::POST,
            "system/callbacks",
            json!({"url": "not a url", "type": "ticket", "level": "galaxy"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(bad["errors"].as_array().unwrap().len(), 2);
    let (_, list) = m.list("system/callbacks", &[]).await;
    assert_eq!(ids(&list).len(), 1);
}

#[tokio::test]
async fn lookups_and_opportunities_are_served() {
    let m = Manage::tiny().await;
    for path in [
        "company/companies/statuses",
        "company/companies/types",
        "company/configurations/types",
        "company/configurations/statuses",
        "service/boards",
        "service/boards/1/statuses",
        "service/boards/1/types",
        "service/boards/1/subtypes",
        "service/boards/1/items",
        "service/priorities",
        "service/sources",
        "system/members",
        "sales/opportunities",
        "company/contacts",
        "procurement/catalog",
    ] {
        let (status, body) = m.list(path, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert!(!ids(&body).is_empty(), "{path}");
    }
    let company = &m.sandbox.tenant().psa_companies[0].external.id;
    let (_, sites) = m
        .list(&format!("company/companies/{company}/sites"), &[])
        .await;
    assert!(
        sites
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["company"]["id"].as_i64() == company.parse::<i64>().ok())
    );
    let (_, opp) = m.list("sales/opportunities", &[]).await;
    let id = opp[0]["id"].as_i64().unwrap();
    let (status, patched) = m
        .send_json(
            reqwest::Method::PATCH,
            &format!("sales/opportunities/{id}"),
            json!([{"op": "replace", "path": "probability", "value": {"id": 9, "name": "90"}},
                   {"op": "replace", "path": "expectedCloseDate", "value": "2027-06-30T00:00:00Z"}]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(patched["probability"]["name"], "90");
}

#[tokio::test]
async fn rate_limit_429_then_recovery_on_the_clock() {
    let options = SandboxOptions::default()
        .tenant(TenantSpec::tiny())
        .clock_factor(0.0)
        .manage(ManageOptions::default().rate_limit(5, Duration::from_secs(60)));
    let m = Manage::start(options).await;
    for _ in 0..5 {
        assert_eq!(m.get("system/info").send().await.unwrap().status(), 200);
    }
    let r = m.get("system/info").send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "ConnectWiseAPI");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Too many requests")
    );
    m.sandbox.clock().advance(Duration::from_secs(60));
    assert_eq!(m.get("system/info").send().await.unwrap().status(), 200);
    assert_eq!(m.sandbox.log().count_status(Vendor::Manage, 429), 1);

    // A fast clock turns the vendor's window into real seconds for Retry-After.
    let fast = Manage::start(
        SandboxOptions::default()
            .tenant(TenantSpec::tiny())
            .clock_factor(60.0)
            .manage(ManageOptions::default().rate_limit(2, Duration::from_secs(60))),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(fast.get("system/info").send().await.unwrap());
    }
    let limited = statuses.pop().unwrap();
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait <= 1, "{wait}");
    tokio::time::sleep(Duration::from_secs(wait.max(1))).await;
    assert_eq!(fast.get("system/info").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn codebase_change_moves_the_api() {
    let m = Manage::tiny().await;
    let control = m.sandbox.manage_control().unwrap();
    control.set_codebase("v2025_1");
    let old = m.get("system/info").send().await.unwrap();
    assert_eq!(old.status(), 404);
    let access = m.sandbox.manage_access();
    let info: Value = reqwest::get(format!(
        "{}/login/companyinfo/{}",
        access.base_url, access.company_id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(info["Codebase"], "v2025_1/");
    assert_eq!(info["IsCloud"], true);
    let new = m
        .auth(
            m.client
                .get(format!("{}/v2025_1/apis/3.0/system/info", access.base_url)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
}

#[tokio::test]
async fn faults_on_manage_routes_are_observable() {
    let m = Manage::tiny().await;
    let faults = m.sandbox.faults();
    let route = "*/company/configurations";
    faults.push(Fault::new(Vendor::Manage, route, FaultKind::TruncatedBody));
    let r = m.get("company/configurations").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "truncated JSON does not parse"
    );

    faults.push(Fault::new(Vendor::Manage, route, FaultKind::BrokenBody));
    let r = m.get("company/configurations").send().await.unwrap();
    assert!(r.bytes().await.is_err(), "connection cut mid-body");

    faults.push(Fault::new(Vendor::Manage, route, FaultKind::DropConnection));
    assert!(m.get("company/configurations").send().await.is_err());

    faults.push(Fault::new(Vendor::Manage, route, FaultKind::status(503).retry_after(2)).times(2));
    for _ in 0..2 {
        let r = m.get("company/configurations").send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "2");
    }
    faults.push(Fault::new(Vendor::Manage, route, FaultKind::HtmlBody(200)));
    let r = m.get("company/configurations").send().await.unwrap();
    assert!(r.text().await.unwrap().starts_with("<!DOCTYPE html>"));
    faults.push(Fault::new(Vendor::Manage, route, FaultKind::EmptyBody(200)));
    assert!(
        m.get("company/configurations")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .is_empty()
    );

    let (status, body) = m.list("company/configurations", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&body).len(), 25);
    assert_eq!(m.sandbox.log().count(Vendor::Manage, Some("GET"), route), 8);
    assert!(
        m.sandbox
            .log()
            .entries()
            .iter()
            .all(|e| !e.path.contains("Private"))
    );
}
