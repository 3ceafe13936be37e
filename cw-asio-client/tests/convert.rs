//! Conversions from Asio wire models to psa-rmm-core records and back.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap fixtures too

use cw_asio_client::convert::{self, ConvertError, TicketLookups};
use cw_asio_client::model::*;
use psa_rmm_core::model::{self as core, DeviceKind, ExternalRef, System};
use serde_json::json;

fn endpoint(v: serde_json::Value) -> Endpoint {
    serde_json::from_value(v).unwrap()
}

#[test]
fn company_maps_name_status_and_activity() {
    let c: Company = serde_json::from_value(json!({
        "id": "436f6d6d-616e-6420-4944-3a2000051f97", "name": "Contoso Ltd", "friendlyName": "Contoso",
        "activityStatus": {"name": "Active", "activeFlag": true}, "updatedDate": "2025-01-02T03:04:05Z"
    }))
    .unwrap();
    let out = convert::company(&c).unwrap();
    assert_eq!(
        out.external,
        ExternalRef::new(System::CwAsio, "436f6d6d-616e-6420-4944-3a2000051f97")
    );
    assert_eq!(out.name, "Contoso Ltd");
    assert_eq!(out.identifier.as_deref(), Some("Contoso"));
    assert!(out.active);
    let deleted: Company = serde_json::from_value(
        json!({"id": "x", "name": "Gone", "deletedDate": "2025-01-01T00:00:00Z"}),
    )
    .unwrap();
    assert!(!convert::company(&deleted).unwrap().active);
    let nameless: Company = serde_json::from_value(json!({"id": "x"})).unwrap();
    assert_eq!(
        convert::company(&nameless),
        Err(ConvertError::MissingField("name"))
    );
}

#[test]
fn site_takes_company_from_body_or_hint() {
    let s: Site = serde_json::from_value(json!({"id": "s1", "name": "HQ"})).unwrap();
    let out = convert::site(&s, Some(&CompanyId::new("c1"))).unwrap();
    assert_eq!(out.company.unwrap().id, "c1");
    let s: Site =
        serde_json::from_value(json!({"id": "s1", "name": "HQ", "company": {"id": "c2"}})).unwrap();
    assert_eq!(
        convert::site(&s, Some(&CompanyId::new("c1")))
            .unwrap()
            .company
            .unwrap()
            .id,
        "c2"
    );
}

#[test]
fn endpoint_with_hardware_becomes_a_device() {
    let e = endpoint(json!({
        "endpointID": "e1", "deviceName": "PC-01", "friendlyName": "Reception PC", "endpointType": "Desktop",
        "virtualType": "Physical",
        "macAddress": ["00:1A:2B:3C:4D:5E"], "ipAddress": ["10.0.0.5"],
        "system": {"serialNumber": "  ", "model": "OptiPlex 7090", "chassisTypes": [10]},
        "bios": {"serialNumber": "5CD1234XYZ", "manufacturer": "Dell Inc."},
        "baseboard": {"serialNumber": "BOARD1", "hardwareUUID": "4C4C4544-0031"},
        "os": {"product": "Windows 11 Pro", "displayVersion": "23H2", "userName": "ACME\\jdoe"},
        "networks": [{"macAddress": "00-1a-2b-3c-4d-5e"}, {"macAddress": "00:1A:2B:3C:4D:5F"}, {"macAddress": ""}],
        "modifiedAt": "2025-03-01T00:00:00Z"
    }));
    let d = convert::device(
        &e,
        &EndpointCategory::Platform,
        Some(&CompanyId::new("c1")),
        Some(&SiteId::new("s1")),
    )
    .unwrap();
    assert_eq!(d.external.id, "e1");
    assert_eq!(d.company.unwrap().id, "c1");
    assert_eq!(d.site.unwrap().id, "s1");
    assert_eq!(d.hostname.as_deref(), Some("PC-01"));
    assert_eq!(d.kind, DeviceKind::Laptop, "chassis type 10 is a notebook");
    assert_eq!(
        d.serial_number.as_deref(),
        Some("5CD1234XYZ"),
        "blank system serial falls through to bios"
    );
    assert_eq!(d.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(d.model.as_deref(), Some("OptiPlex 7090"));
    assert_eq!(d.hardware_uuid.as_deref(), Some("4C4C4544-0031"));
    assert_eq!(d.os.as_deref(), Some("Windows 11 Pro 23H2"));
    assert_eq!(d.last_user.as_deref(), Some("ACME\\jdoe"));
    assert_eq!(d.ip_address.as_deref(), Some("10.0.0.5"));
    assert_eq!(d.virtual_machine, Some(false));
    // Top-level and adapter MACs are merged; the dash-form duplicate is kept as reported (the normaliser
    // folds formats), the exact duplicate is dropped.
    assert_eq!(
        d.mac_addresses,
        [
            "00:1A:2B:3C:4D:5E",
            "00-1a-2b-3c-4d-5e",
            "00:1A:2B:3C:4D:5F"
        ]
    );
}

#[test]
fn device_kinds_follow_category_type_and_virtualisation() {
    let cases = [
        (
            json!({"endpointID": "a", "endpointType": "Server"}),
            EndpointCategory::Platform,
            DeviceKind::Server,
        ),
        (
            json!({"endpointID": "a", "endpointType": "Server", "virtualType": "Host"}),
            EndpointCategory::Platform,
            DeviceKind::Hypervisor,
        ),
        (
            json!({"endpointID": "a", "endpointType": "Desktop"}),
            EndpointCategory::Platform,
            DeviceKind::Workstation,
        ),
        (
            json!({"endpointID": "a"}),
            EndpointCategory::Network,
            DeviceKind::NetworkDevice,
        ),
        (
            json!({"endpointID": "a", "type": "Mobile"}),
            EndpointCategory::Platform,
            DeviceKind::Mobile,
        ),
    ];
    for (v, cat, want) in cases {
        let d = convert::device(&endpoint(v.clone()), &cat, None, None).unwrap();
        assert_eq!(d.kind, want, "{v}");
    }
    let guest = endpoint(json!({"endpointID": "g", "virtualType": "Guest"}));
    assert_eq!(
        convert::device(&guest, &EndpointCategory::Platform, None, None)
            .unwrap()
            .virtual_machine,
        Some(true)
    );
    let missing = endpoint(json!({"friendlyName": "x"}));
    assert_eq!(
        convert::device(&missing, &EndpointCategory::Platform, None, None),
        Err(ConvertError::MissingField("endpointID"))
    );
}

#[test]
fn v2_detail_fixture_becomes_a_device() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/endpoint_v2_detail_response.synthetic.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let d: EndpointDetail = serde_json::from_str(&text).unwrap();
    let dev = convert::device_detail(&d).unwrap();
    assert_eq!(dev.external.system, System::CwAsio);
    assert_eq!(dev.company.unwrap().id, "string");
    assert_eq!(dev.kind, DeviceKind::Workstation);
    assert_eq!(dev.serial_number.as_deref(), Some("string"));
}

fn lookups() -> TicketLookups {
    TicketLookups {
        boards: serde_json::from_value(json!([
            {"id": "b-old", "name": "Alerts", "inactiveFlag": true},
            {"id": "b1", "name": "Alerts"}
        ]))
        .unwrap(),
        sources: serde_json::from_value(json!([{"id": "src1", "name": "Monitoring"}])).unwrap(),
        statuses: serde_json::from_value(json!([
            {"id": "st-new", "name": "New", "category": "New"},
            {"id": "st-done", "name": "Resolved", "category": "Closed"}
        ]))
        .unwrap(),
        priorities: serde_json::from_value(json!([{"id": "p1", "name": "High"}])).unwrap(),
    }
}

#[test]
fn ticket_round_trip_through_core() {
    let wire: Ticket = serde_json::from_value(json!({
        "id": "t1", "summary": "Disk low", "description": "C: 5%",
        "company": {"id": "c1"}, "assets": [{"id": "e2"}, {"id": "e1", "isPrimary": true}],
        "serviceBoard": {"id": "b1", "name": "Alerts"}, "status": {"id": "st-done", "name": "Resolved"},
        "priority": {"id": "p1", "name": "High"}
    }))
    .unwrap();
    let t = convert::ticket(&wire, &lookups()).unwrap();
    assert!(t.closed, "status category Closed");
    assert_eq!(t.device.as_ref().unwrap().id, "e1", "primary asset wins");
    assert_eq!(t.board.as_deref(), Some("Alerts"));

    let body = convert::new_ticket(&t, &lookups(), "Other", "monitoring").unwrap();
    assert_eq!(
        body.service_board.id.as_ref().unwrap().as_str(),
        "b1",
        "inactive board skipped"
    );
    assert_eq!(body.source.id.as_ref().unwrap().as_str(), "src1");
    assert_eq!(
        body.status.as_ref().unwrap().id.as_ref().unwrap().as_str(),
        "st-done"
    );
    assert_eq!(body.assets[0].is_primary, Some(true));
    let sent = serde_json::to_value(&body).unwrap();
    assert_eq!(sent["company"]["id"], "c1");
    assert_eq!(sent["serviceBoard"], json!({"id": "b1"}));
}

#[test]
fn new_ticket_clips_and_fills_required_fields() {
    let t = core::Ticket {
        external: ExternalRef::new(System::CwManage, "9"),
        company: Some(ExternalRef::new(System::CwManage, "250")),
        summary: "é".repeat(300),
        description: None,
        board: None,
        status: None,
        priority: None,
        closed: false,
        dedupe_key: None,
        device: None,
        created_at: None,
        updated_at: None,
    };
    let body = convert::new_ticket(&t, &lookups(), "Alerts", "Monitoring").unwrap();
    assert_eq!(body.summary.chars().count(), 255);
    assert_eq!(
        body.description.chars().count(),
        300,
        "description repeats the full summary"
    );
    assert!(
        body.company.is_none(),
        "a Manage company id is not an Asio id"
    );
    let err = convert::new_ticket(&t, &lookups(), "Nope", "Monitoring").unwrap_err();
    assert_eq!(
        err,
        ConvertError::UnknownName {
            table: "board",
            name: "Nope".into()
        }
    );
}

#[test]
fn ticket_patch_is_replace_only_and_minimal() {
    let wire: Ticket = serde_json::from_value(
        json!({"id": "t1", "summary": "Disk low", "status": {"id": "st-new", "name": "New"}}),
    )
    .unwrap();
    let before = convert::ticket(&wire, &lookups()).unwrap();
    assert!(
        convert::ticket_patch(&before, &before, &lookups())
            .unwrap()
            .is_empty()
    );
    let mut after = before.clone();
    after.status = Some("Resolved".into());
    after.summary = "Disk low (resolved)".into();
    let ops = convert::ticket_patch(&before, &after, &lookups()).unwrap();
    assert!(ops.iter().all(|o| o.op == PatchOp::Replace));
    let v = serde_json::to_value(&ops).unwrap();
    assert_eq!(
        v,
        json!([
            {"op": "replace", "path": "/summary", "value": "Disk low (resolved)"},
            {"op": "replace", "path": "/status", "value": {"id": "st-done"}}
        ])
    );
}
