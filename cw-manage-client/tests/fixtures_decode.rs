//! Every vendor payload in tests/fixtures decodes into its model, and every record model tolerates
//! absent, null and unknown fields.
#![allow(clippy::unwrap_used)] // helpers of a test crate, where a panic is the failure report

use cw_manage_client::callback::CallbackDelivery;
use cw_manage_client::model::*;
use cw_manage_client::patch::Operation;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

fn decode<T: DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de).unwrap_or_else(|e| panic!("{name}: {} at {}", e, e.path()))
}

macro_rules! fixture_tests {
    ($($test:ident: $name:literal => $ty:ty, |$v:ident| $check:block)+) => {
        /// Every fixture file that has a decode test.
        const COVERED: &[&str] = &[$($name),+];
        $(
            #[test]
            fn $test() {
                let $v: $ty = decode($name);
                $check
            }
        )+
    };
}

fixture_tests! {
    callback_entry: "callback_entry.json" => CallbackEntry, |v| {
        assert_eq!(v.id.get(), 26552);
        assert_eq!(v.object_id, Some(1));
        assert_eq!(v.connect_wise_id.as_deref(), Some("5a6f7d74-a45f-f111-aa6d-d25dfe3c7792"));
    }
    callback_entry_create_request: "callback_entry_create_request.json" => CallbackEntry, |v| {
        assert_eq!(v.callback_type.as_deref(), Some("ticket"));
        assert_eq!(v.level.as_deref(), Some("owner"));
    }
    callback_payload_contact_added: "callback_payload_contact_added.json" => CallbackDelivery, |v| {
        let c: Contact = v.entity_as().unwrap().unwrap();
        assert_eq!(c.id.get(), 57960);
    }
    callback_payload_contact_deleted: "callback_payload_contact_deleted.json" => CallbackDelivery, |v| {
        assert!(v.is_delete() && v.entity.is_none());
        assert_eq!(v.id, Some(57962));
    }
    company: "company.json" => Company, |v| {
        assert_eq!(v.id.get(), 200);
        assert_eq!(v.status.unwrap().name.as_deref(), Some("Active"));
        assert_eq!(v.custom_fields.len(), 15);
        assert!(v.extra.contains_key("userDefinedField5"));
        assert_eq!(v.deleted_flag, Some(true));
        assert!(v.info.date_entered().is_some());
    }
    configuration_types_list_magna5: "configuration_types_list_magna5.json" => Vec<ConfigurationType>, |v| {
        assert_eq!(v[0].name.as_deref(), Some("Firewall"));
    }
    contact: "contact.json" => Vec<Contact>, |v| {
        assert_eq!(v[0].id.get(), 58024);
        let synced = custom_field(&v[0].custom_fields, "is_synced").unwrap();
        assert_eq!(synced.value_text().as_deref(), Some("false"));
        assert!(synced.extra.contains_key("podId"));
    }
    custom_field_definitions_userdefinedfields: "custom_field_definitions_userDefinedFields.json" => Vec<CustomFieldDefinition>, |v| {
        assert!(v.iter().any(|d| d.options.len() == 2));
    }
    doc_callback_entry_post_example: "doc_callback_entry_post_example.json" => CallbackEntry, |v| {
        assert_eq!(v.inactive_flag, Some(false));
    }
    doc_companyinfo_example: "doc_companyinfo_example.json" => CompanyInfo, |v| {
        assert_eq!(v.is_cloud, Some(true));
        assert_eq!(v.codebase_segment().as_deref(), Some("v2017_3/"));
    }
    doc_error_ssl_required: "doc_error_ssl_required.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("Security"));
        assert!(v.errors.is_empty());
    }
    doc_patch_example: "doc_patch_example.json" => Vec<Operation>, |v| {
        assert_eq!(v.len(), 3);
    }
    doc_rate_limit_429_body: "doc_rate_limit_429_body.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("ConnectWiseAPI"));
    }
    error_500_timeout_pyconnectwise_test: "error_500_timeout_pyconnectwise_test.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("ConnectWiseApi"));
    }
    error_api_find_condition: "error_api_find_condition.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("ApiFindCondition"));
    }
    error_endpoint_does_not_exist: "error_endpoint_does_not_exist.json" => ErrorBody, |v| {
        assert_eq!(v.message.as_deref(), Some("The endpoint does not exist."));
    }
    error_invalid_object_callback_entry: "error_invalid_object_callback_entry.json" => ErrorBody, |v| {
        assert_eq!(v.errors.len(), 2);
        assert!(v.summary().contains("url: Invalid URL"));
    }
    error_invalid_object_service_note: "error_invalid_object_service_note.json" => ErrorBody, |v| {
        assert_eq!(v.errors[0].code.as_deref(), Some("ServiceNote"));
    }
    error_missing_required_field_contact: "error_missing_required_field_contact.json" => ErrorBody, |v| {
        assert_eq!(v.errors[0].field.as_deref(), Some("firstName"));
    }
    error_not_found_contact: "error_not_found_contact.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("NotFound"));
    }
    error_not_found_ticket: "error_not_found_ticket.json" => ErrorBody, |v| {
        assert_eq!(v.code(), Some("NotFound"));
    }
    fixture_djcw_board: "fixture_djcw_board.json" => Board, |v| {
        assert_eq!(v.name.as_deref(), Some("Service A"));
    }
    fixture_djcw_board_statuses_list: "fixture_djcw_board_statuses_list.json" => Vec<BoardStatus>, |v| {
        assert_eq!(v[1].closed_status, Some(true));
        assert_eq!(v[0].board.as_ref().unwrap().id.unwrap().get(), 1);
    }
    fixture_djcw_callback_entry: "fixture_djcw_callback_entry.json" => CallbackEntry, |v| {
        assert_eq!(v.member_id, Some(176));
    }
    fixture_djcw_company_statuses_list: "fixture_djcw_company_statuses_list.json" => Vec<CompanyStatus>, |v| {
        assert_eq!(v[0].default_flag, Some(true));
    }
    fixture_djcw_company_types_list: "fixture_djcw_company_types_list.json" => Vec<CompanyType>, |v| {
        assert_eq!(v[0].info.updated_by(), None);
    }
    fixture_djcw_companyinfo: "fixture_djcw_companyinfo.json" => CompanyInfo, |v| {
        assert_eq!(v.is_cloud, Some(true));
    }
    fixture_djcw_configuration_statuses_list: "fixture_djcw_configuration_statuses_list.json" => Vec<ConfigurationStatus>, |v| {
        assert_eq!(v[0].description.as_deref(), Some("Testing Network"));
    }
    fixture_djcw_configuration_types_list: "fixture_djcw_configuration_types_list.json" => Vec<ConfigurationType>, |v| {
        assert_eq!(v[0].system_flag, Some(false));
    }
    fixture_djcw_contact_communications_list: "fixture_djcw_contact_communications_list.json" => Vec<CommunicationItem>, |v| {
        assert_eq!(v[1].communication_type, Some(CommunicationType::Email));
    }
    fixture_djcw_member: "fixture_djcw_member.json" => Member, |v| {
        assert_eq!(v.full_name().as_deref(), Some("Training User1"));
        assert_eq!(v.license_class.as_deref(), Some("F"));
    }
    fixture_djcw_priorities_list: "fixture_djcw_priorities_list.json" => Vec<Priority>, |v| {
        assert_eq!(v[0].color, None);
        assert_eq!(v[1].sort_order, Some(6));
    }
    fixture_djcw_service_items_list: "fixture_djcw_service_items_list.json" => Vec<BoardItem>, |v| {
        assert_eq!(v[0].name.as_deref(), Some("Fix it"));
    }
    fixture_djcw_service_subtypes_list: "fixture_djcw_service_subtypes_list.json" => Vec<BoardSubType>, |v| {
        assert_eq!(v[0].type_association_ids, vec![30, 31]);
    }
    fixture_djcw_service_types_list: "fixture_djcw_service_types_list.json" => Vec<BoardType>, |v| {
        assert_eq!(v[0].category.as_deref(), Some("Reactive"));
    }
    patch_contact_communication_items: "patch_contact_communication_items.json" => Vec<Operation>, |v| {
        assert_eq!(v[1].path, "/communicationItems/3");
    }
    service_note: "service_note.json" => TicketNote, |v| {
        assert!(v.has_display_flag());
        assert_eq!(v.ticket_id, Some(945315));
    }
    service_notes_list: "service_notes_list.json" => Vec<TicketNote>, |v| {
        assert!(v.len() >= 2);
    }
    system_info_spinen_readme: "system_info_spinen_readme.json" => SystemInfo, |v| {
        assert_eq!(v.api_version().as_deref(), Some("2016.6"));
        assert_eq!(v.is_cloud, Some(false));
    }
    ticket: "ticket.json" => Ticket, |v| {
        assert_eq!(v.record_type, Some(RecordType::ServiceTicket));
        assert_eq!(v.severity, Some(Level::Medium));
        assert_eq!(v.impact, Some(Level::Low));
        assert!(v.extra.contains_key("estimatedStartDate"));
    }
    ticket_created: "ticket_created.json" => Ticket, |v| {
        assert_eq!(v.custom_fields.len(), 3);
    }
}

#[test]
fn every_fixture_file_has_a_decode_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") {
            assert!(
                COVERED.contains(&name.as_str()),
                "{name} has no decode test"
            );
        }
    }
}

/// Sets every top-level key except `id` to `null`, then removes them, then adds unknown keys: each
/// variant must still decode.
fn tolerant<T: DeserializeOwned>(sample: Value) {
    let Value::Object(map) = sample else {
        panic!("not an object")
    };
    let nulled: serde_json::Map<String, Value> = map
        .iter()
        .map(|(k, v)| (k.clone(), if k == "id" { v.clone() } else { Value::Null }))
        .collect();
    serde_json::from_value::<T>(Value::Object(nulled)).unwrap();
    let bare: serde_json::Map<String, Value> = map
        .iter()
        .filter(|(k, _)| *k == "id")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::from_value::<T>(Value::Object(bare)).unwrap();
    let mut extended = map.clone();
    extended.insert(
        "brandNewField2031".into(),
        serde_json::json!({"nested": [1, 2]}),
    );
    extended.insert(
        "_info".into(),
        serde_json::json!({"lastUpdated": null, "Weird_Href": 5}),
    );
    let back: T = serde_json::from_value(Value::Object(extended)).unwrap();
    drop(back);
}

#[test]
fn records_tolerate_null_absent_and_unknown_fields() {
    let obj = |name: &str| -> Value {
        let v: Value = decode(name);
        match v {
            Value::Array(mut a) => a.remove(0),
            o => o,
        }
    };
    tolerant::<Company>(obj("company.json"));
    tolerant::<Contact>(obj("contact.json"));
    tolerant::<Ticket>(obj("ticket.json"));
    tolerant::<Ticket>(obj("ticket_created.json"));
    tolerant::<TicketNote>(obj("service_note.json"));
    tolerant::<Member>(obj("fixture_djcw_member.json"));
    tolerant::<Board>(obj("fixture_djcw_board.json"));
    tolerant::<BoardStatus>(obj("fixture_djcw_board_statuses_list.json"));
    tolerant::<BoardType>(obj("fixture_djcw_service_types_list.json"));
    tolerant::<BoardSubType>(obj("fixture_djcw_service_subtypes_list.json"));
    tolerant::<BoardItem>(obj("fixture_djcw_service_items_list.json"));
    tolerant::<Priority>(obj("fixture_djcw_priorities_list.json"));
    tolerant::<CompanyStatus>(obj("fixture_djcw_company_statuses_list.json"));
    tolerant::<CompanyType>(obj("fixture_djcw_company_types_list.json"));
    tolerant::<ConfigurationStatus>(obj("fixture_djcw_configuration_statuses_list.json"));
    tolerant::<ConfigurationType>(obj("fixture_djcw_configuration_types_list.json"));
    tolerant::<CallbackEntry>(obj("callback_entry.json"));
    tolerant::<SystemInfo>(obj("system_info_spinen_readme.json"));
    let config = serde_json::json!({
        "id": 5, "name": "PC", "type": {"id": 1, "name": "Workstation"}, "status": {"id": 1, "name": "Active"},
        "company": {"id": 2, "identifier": "ACME", "name": "Acme"}, "serialNumber": "X", "macAddress": "",
        "warrantyExpirationDate": "", "questions": [{"questionId": 1, "answer": true}], "activeFlag": "True",
        "customFields": [{"id": 1, "caption": "Tag", "value": 3}]
    });
    tolerant::<Configuration>(config);
    tolerant::<CompanySite>(serde_json::json!({"id": 1, "name": "Main", "company": {"id": 2}}));
    tolerant::<Opportunity>(serde_json::json!({
        "id": 1, "name": "Deal", "expectedCloseDate": "2026-01-01T00:00:00Z",
        "stage": {"id": 2, "name": "Proposal"}, "probability": {"id": 3, "name": "50%"}
    }));
    tolerant::<CatalogItem>(serde_json::json!({"id": 1, "identifier": "SKU-1", "price": 9.5}));
}

#[test]
fn a_record_without_id_names_the_field() {
    let err =
        serde_json::from_value::<Configuration>(serde_json::json!({"name": "x"})).unwrap_err();
    assert!(err.to_string().contains("id"));
}
