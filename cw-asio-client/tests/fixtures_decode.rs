//! Every vendor fixture in `tests/fixtures/` decodes into its wire model, and the interesting fields land.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap fixtures too

use cw_asio_client::model::*;
use serde::de::DeserializeOwned;

fn load<T: DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn company() {
    let c: Company = load("company.synthetic.json");
    assert_eq!(c.id.unwrap().as_str(), "string");
    assert_eq!(c.external_ids.len(), 1);
    assert!(c.primary_site.unwrap().primary_address.is_some());
    assert!(c.updated_date.is_some());
}

#[test]
fn site() {
    let s: Site = load("site.synthetic.json");
    assert!(s.company.unwrap().id.is_some());
    assert_eq!(
        s.primary_address.unwrap().locality.as_deref(),
        Some("string")
    );
    assert_eq!(s.external_ids[0].backsynced, Some(false));
}

#[test]
fn custom_field_definitions() {
    let d: Vec<CustomFieldDefinition> = load("custom_field_definitions_response.synthetic.json");
    assert_eq!(d[0].attribute_type, Some(AttributeType::Boolean));
    assert_eq!(d[0].entity_type, Some(EntityType::Client));
    assert_eq!(
        d[0].validation_options.as_ref().unwrap().allowed,
        ["string"]
    );
}

#[test]
fn custom_field_values_get_with_both_id_spellings() {
    let v: Vec<CustomFieldValue> = load("custom_field_values_get_response.synthetic.json");
    assert_eq!(
        v[0].attribute_id().unwrap().as_str(),
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(v[0].attribute_id_upper.as_ref().unwrap().as_str(), "string");
}

#[test]
fn custom_field_values_put() {
    let v: Vec<CustomFieldValueUpdate> = load("custom_field_values_put_request.json");
    assert_eq!(v[0].value.as_deref(), Some("test_value"));
    let back = serde_json::to_value(&v).unwrap();
    assert_eq!(back[0]["entityId"], "a9095743-e131-49f1-8a24-34508d07abf3");
    assert_eq!(
        back[0]["attributeId"],
        "9e98f3e0-a609-4258-be46-fa6a0ba963da"
    );
}

#[test]
fn device_groups() {
    let g: Vec<DeviceGroup> = load("device_groups_response.synthetic.json");
    assert_eq!(g[0].is_static, Some(false));
    assert!(g[0].created_at.is_some());
}

#[test]
fn device_token_requests() {
    let working: DeviceTokenRequest = load("device_token_request.observed-working.json");
    assert_eq!(working.company_id, "<company uuid>");
    let spec: DeviceTokenRequest = load("device_token_request.spec.json");
    assert_eq!(spec.company_id, "479686cb-daaf-4f23-ad23-31ffc2eebaf6");
    // What we send is the spelling the live API accepts.
    assert!(
        serde_json::to_value(&spec)
            .unwrap()
            .get("companyID")
            .is_some()
    );
    let token: String = load("device_token_response.json");
    assert_eq!(token, "f4b2990c-075a-4132-967c-2fa3431e89df");
}

#[test]
fn uninstall() {
    let req: UninstallRequest = load("endpoint_uninstall_request.json");
    assert_eq!(req.endpoints[0].uninstall_type, ["RMM"]);
    let resp: UninstallResponse = load("endpoint_uninstall_response.json");
    assert_eq!(
        resp.endpoints[0].uninstall_status.as_deref(),
        Some("Success")
    );
}

#[test]
fn endpoint_v1_detail() {
    let e: Endpoint = load("endpoint_v1_detail_response.json");
    assert_eq!(
        e.endpoint_id.unwrap().as_str(),
        "b1bab436-f68c-42d7-b504-d4184327d701"
    );
    assert!(e.company_id.is_some() && e.site_id.is_some());
    assert_eq!(e.roles_features, ["string"]);
    assert!(
        e.baseboard.unwrap().install_date.is_some(),
        "baseBoard (capital B) decodes"
    );
    assert_eq!(e.physical_drives.len(), 1, "physicalDrive decodes");
    assert_eq!(e.os.unwrap().language.as_deref(), Some("string"));
    assert_eq!(
        e.processors[0].clock_speed_mhz, None,
        "non-numeric string speed"
    );
    assert_eq!(e.networks.len(), 1);
}

#[test]
fn endpoint_v1_list() {
    let l: EndpointListV1 = load("endpoint_v1_list_response.synthetic.json");
    assert_eq!(
        l.endpoints[0].company_id.as_ref().unwrap().as_str(),
        "string"
    );
    assert_eq!(l.endpoints[0].os_type.as_deref(), Some("string"));
}

#[test]
fn endpoint_v2_detail() {
    let d: EndpointDetail = load("endpoint_v2_detail_response.synthetic.json");
    let (cat, e) = d.endpoint().unwrap();
    assert_eq!(cat, EndpointCategory::Platform);
    assert_eq!(e.endpoint_type, Some(EndpointType::Desktop));
    assert!(e.baseboard.as_ref().unwrap().hardware_uuid.is_some());
    assert_eq!(e.processors[0].clock_speed_mhz, Some(0.0));
    assert_eq!(e.drives.len(), 1);
    assert_eq!(
        d.endpoint_mapping[0].vendor_name.as_deref(),
        Some("Automate")
    );
    assert!(d.endpoint_id().is_some() && d.company_id().is_some() && d.site_id().is_some());
}

#[test]
fn endpoint_v2_list() {
    let l: EndpointList = load("endpoint_v2_list_response.synthetic.json");
    assert_eq!(l.len(), 1);
    let (cat, group, e) = l.iter().next().unwrap();
    assert_eq!(cat, EndpointCategory::Platform);
    assert!(group.company_id.is_some());
    assert_eq!(e.os.as_ref().unwrap().product_id.as_deref(), Some("string"));
    assert_eq!(e.system.as_ref().unwrap().chassis_types, [0]);
}

#[test]
fn error_bodies() {
    for (file, code, message) in [
        (
            "error_400_generic.json",
            "bad request",
            "invalid input data",
        ),
        (
            "error_401_gateway.json",
            "unauthorized request",
            "The access token provided is expired, revoked, malformed, or invalid for other reasons.",
        ),
        (
            "error_404_generic.json",
            "not found",
            "topology does not exist",
        ),
        (
            "error_device_token_400.observed.json",
            "bad_request",
            "ErrClientIDNotAllowed",
        ),
        ("ticket_api_errors.synthetic.json", "string", "string"),
    ] {
        let raw = std::fs::read(format!(
            "{}/tests/fixtures/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let b = ErrorBody::parse(&raw);
        assert_eq!(b.code.as_deref(), Some(code), "{file}");
        assert_eq!(b.message.as_deref(), Some(message), "{file}");
    }
}

#[test]
fn heartbeat() {
    let h: HeartbeatResponse = load("heartbeat_response.json");
    let hb = &h.successful_records[0].endpoints[0];
    assert_eq!(hb.availability, Some(true));
    assert!(hb.endpoint_id.is_some() && hb.dc_date_time_utc.is_some());
    assert_eq!(h.failed_records.len(), 2);
}

#[test]
fn mapping_lookup() {
    let req: MappingLookupRequest = load("mapping_lookup_request.json");
    assert_eq!(req.schemas[1].reverse, Some(true));
    let resp: MappingLookupResponse = load("mapping_lookup_response.json");
    assert_eq!(resp.matched_attributes["priority"], "High");
}

#[test]
fn rate_limits() {
    let r: RateLimits = load("rate_limits_response.json");
    assert_eq!(r.buckets().count(), 6);
    assert_eq!(r.resources["service"]["rate-limit"].remaining, Some(33));
}

#[test]
fn automation() {
    let s: ScheduledTask = load("schedule_task_response.observed.json");
    assert_eq!(
        s.task_id.as_deref(),
        Some("bf9c222c-c4f7-4c54-b480-0cec59c6a91e")
    );
    let r: TaskResults = load("task_instance_results.observed.json");
    assert_eq!(r.count, Some(1));
    assert!(r.result[0].execution_time.is_some());
}

#[test]
fn lookups() {
    let boards: Vec<ServiceBoard> = load("service_boards_response.synthetic.json");
    assert!(boards[0].default_priority.is_some());
    let statuses: Vec<TicketStatus> = load("ticket_statuses_response.synthetic.json");
    assert_eq!(statuses[0].category, Some(StatusCategory::New));
    assert_eq!(statuses[0].sla_status, Some(SlaStatus::NotResponded));
}

#[test]
fn system_state() {
    let s: SystemStateInfo = load("system_state_info.synthetic.json");
    assert!(s.startup_status.unwrap().last_boot_up_time_utc.is_some());
    assert_eq!(s.logged_on_users.len(), 1);
}

#[test]
fn tickets() {
    let t: Ticket = load("ticket.synthetic.json");
    assert_eq!(t.assets.len(), 1);
    assert_eq!(t.version, Some(0));
    let page: TicketPage = load("tickets_list_response.synthetic.json");
    assert_eq!(page.tickets.len(), 1);
    assert_eq!(page.total_count, Some(0));
}

#[test]
fn ticket_writes() {
    let create: NewTicket = load("ticket_create_request.synthetic.json");
    assert_eq!(create.assets[0].is_primary, Some(true));
    let patch: Vec<PatchOperation> = load("ticket_patch_request.synthetic.json");
    assert!(patch.iter().all(|p| p.op == PatchOp::Replace));
    let note: NewTicketNote = load("ticket_note_create_request.json");
    assert_eq!(note.visibility, NoteVisibility::PUBLIC);
    let sent = serde_json::to_value(&note).unwrap();
    assert_eq!(sent["extendedAttributes"], serde_json::json!([]));
}

#[test]
fn token() {
    let req: TokenRequest = load("token_request.json");
    assert_eq!(req.grant_type, "client_credentials");
    assert!(!format!("{req:?}").contains("some_client_secret"));
    let sent = serde_json::to_value(&req).unwrap();
    assert_eq!(sent["client_secret"], "some_client_secret");
    let resp: TokenResponse = load("token_response.json");
    assert_eq!(resp.expires_in, Some(3599));
    assert!(!format!("{resp:?}").contains("o7-0jLHntmSEfkr5KGq2whqRfR0"));
}

#[test]
fn pagination_link_header_sample_is_present() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/pagination_link_header.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(text.contains("rel=\"next\""));
}
