//! Key casing and type drift across endpoints all decode.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap fixtures too

use cw_asio_client::model::*;
use serde_json::json;

#[test]
fn endpoint_id_spellings_all_decode() {
    for key in ["endpointID", "endpointId", "EndpointID", "EndpointId"] {
        let e: Endpoint = serde_json::from_value(json!({ key: "abc" })).unwrap();
        assert_eq!(e.endpoint_id.unwrap().as_str(), "abc", "{key}");
    }
}

#[test]
fn company_and_site_id_spellings_decode() {
    for key in ["clientID", "clientId", "companyID", "companyId"] {
        let e: Endpoint = serde_json::from_value(json!({ key: "c1", "siteId": "s1" })).unwrap();
        assert_eq!(e.company_id.unwrap().as_str(), "c1", "{key}");
        assert_eq!(e.site_id.unwrap().as_str(), "s1");
        let g: EndpointGroup =
            serde_json::from_value(json!({ key: "c1", "siteID": "s1" })).unwrap();
        assert_eq!(g.company_id.unwrap().as_str(), "c1", "{key}");
    }
}

#[test]
fn baseboard_spellings_decode() {
    for key in ["baseBoard", "baseboard", "BaseBoard"] {
        let e: Endpoint =
            serde_json::from_value(json!({ key: {"serialNumber": "BB1", "hardwareUUID": "u"} }))
                .unwrap();
        assert_eq!(
            e.baseboard.unwrap().serial_number.as_deref(),
            Some("BB1"),
            "{key}"
        );
    }
}

#[test]
fn os_language_and_product_id_spellings_decode() {
    let v1: Os = serde_json::from_value(json!({"osLanguage": "en-US", "productId": "P"})).unwrap();
    let v2: Os = serde_json::from_value(json!({"language": "en-US", "productID": "P"})).unwrap();
    assert_eq!(v1, v2);
}

#[test]
fn detail_with_every_id_spelling_at_once_decodes() {
    let d: EndpointDetail = serde_json::from_value(json!({
        "companyID": "c", "clientId": "c", "siteID": "s", "siteId": "s",
        "endpointID": "e", "endpointId": "e",
        "platform": null, "network": {"friendlyName": "sw1"}, "cloud": null
    }))
    .unwrap();
    assert_eq!(d.endpoint_id().unwrap().as_str(), "e");
    assert_eq!(d.endpoint().unwrap().0, EndpointCategory::Network);
    let only_lower: EndpointDetail =
        serde_json::from_value(json!({"clientId": "c", "siteId": "s", "endpointId": "e"})).unwrap();
    assert_eq!(only_lower.company_id().unwrap().as_str(), "c");
    assert_eq!(only_lower.site_id().unwrap().as_str(), "s");
    assert_eq!(only_lower.endpoint_id().unwrap().as_str(), "e");
}

#[test]
fn drifting_types_decode() {
    let e: Endpoint = serde_json::from_value(json!({
        "endpointID": "e",
        "rolesFeatures": ["AD DS", "DNS"],
        "processors": [{"clockSpeedMhz": "2400"}, {"clockSpeedMhz": 3100.5}],
        "macAddress": null,
        "system": {"domainRole": "3", "chassisTypes": null},
        "createdAt": "",
        "physicalDrives": [{"type": "SSD"}],
        "endpointType": "Kiosk",
    }))
    .unwrap();
    assert_eq!(e.roles_features.len(), 2);
    assert_eq!(e.processors[0].clock_speed_mhz, Some(2400.0));
    assert_eq!(e.processors[1].clock_speed_mhz, Some(3100.5));
    assert!(e.mac_address.is_empty());
    assert_eq!(e.system.unwrap().domain_role, Some(3));
    assert!(e.created_at.is_none());
    assert_eq!(e.physical_drives.len(), 1);
    assert_eq!(e.endpoint_type, Some(EndpointType::Other("Kiosk".into())));
}

#[test]
fn custom_field_values_are_strings_even_for_numbers_and_booleans() {
    let v: Vec<CustomFieldValue> = serde_json::from_value(json!([
        {"attributeID": "a", "value": 5}, {"attributeId": "b", "value": true}, {"attributeId": "c", "value": null}
    ]))
    .unwrap();
    assert_eq!(v[0].value.as_deref(), Some("5"));
    assert_eq!(v[0].attribute_id().unwrap().as_str(), "a");
    assert_eq!(v[1].value.as_deref(), Some("true"));
    assert_eq!(v[2].value, None);
}

#[test]
fn heartbeat_pascal_case_and_task_results_capitals_decode() {
    let h: Heartbeat = serde_json::from_value(
        json!({"EndpointID": "e", "DcDateTimeUTC": "2025-11-28T05:16:43.565Z", "Availability": false}),
    )
    .unwrap();
    assert_eq!(h.availability, Some(false));
    let r: TaskResults =
        serde_json::from_value(json!({"Result": [{"taskId": "t", "executiontime": "2025-09-17T18:39:24.165Z"}], "Count": 1}))
            .unwrap();
    assert!(r.result[0].execution_time.is_some());
}

#[test]
fn ticket_extended_attribute_values_are_a_union() {
    let t: Ticket = serde_json::from_value(json!({"extendedAttributes": [
        {"id": "a", "value": "text"}, {"id": "b", "value": true}, {"id": "c", "value": 42},
        {"id": "d", "value": "2025-01-01T00:00:00Z"}
    ]}))
    .unwrap();
    assert_eq!(t.extended_attributes.len(), 4);
    assert_eq!(t.extended_attributes[1].value, json!(true));
    assert_eq!(t.extended_attributes[2].value, json!(42));
}

#[test]
fn due_dates_go_out_as_mm_dd_yyyy() {
    let t = NewTicket::new("s", "d", "b", "src")
        .with_due_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap());
    assert_eq!(serde_json::to_value(&t).unwrap()["dueDate"], "03/07/2026");
}
