//! Tickets, notes, custom fields, device groups and device details against the sandbox's Asio fake.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;

use cw_asio_client::convert;
use cw_asio_client::model::{
    CompanyId, CustomFieldValueUpdate, EndpointCategory, EndpointId, EntityType, NewTicketNote,
    NoteVisibility, PatchOp, PatchOperation, ResourceType, SiteId,
};
use cw_asio_client::{CustomFieldTarget, DEFAULT_SCOPES, Error, V1Scope};
use futures::TryStreamExt;
use psa_rmm_core::model::{ExternalRef, System, Ticket};
use psa_rmm_sandbox::Vendor;
use psa_rmm_sandbox::asio::AsioOptions;
use support::*;

fn core_ticket(summary: &str, company: &str, device: &str) -> Ticket {
    Ticket {
        external: ExternalRef::new(System::CwManage, "alert-1"),
        company: Some(ExternalRef::new(System::CwAsio, company)),
        summary: summary.into(),
        description: Some("Free space on C: below 10%.".into()),
        board: Some("alerts".into()),
        status: None,
        priority: Some("High".into()),
        closed: false,
        dedupe_key: None,
        device: Some(ExternalRef::new(System::CwAsio, device)),
        created_at: None,
        updated_at: None,
    }
}

#[tokio::test]
async fn ticket_create_and_patch_round_trip() {
    let sandbox = sandbox(tenant(2, 3), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    let t = sandbox.tenant().clone();
    let device = &t.rmm_devices[0];
    let company = device.company.as_ref().unwrap().id.clone();
    let lookups = client.tickets().lookups().await.unwrap();

    let body = convert::new_ticket(
        &core_ticket("Disk low on PC", &company, &device.external.id),
        &lookups,
        "Service Desk",
        "Monitoring",
    )
    .unwrap();
    let created = client.tickets().create(&body).await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.version, Some(1));
    assert_eq!(
        created.service_board.as_ref().unwrap().name.as_deref(),
        Some("Alerts")
    );
    assert_eq!(
        created.priority.as_ref().unwrap().name.as_deref(),
        Some("High")
    );
    assert_eq!(
        created.status.as_ref().unwrap().name.as_deref(),
        Some("New")
    );

    let before = convert::ticket(&created, &lookups).unwrap();
    assert!(!before.closed);
    assert_eq!(before.device.as_ref().unwrap().id, device.external.id);
    let mut after = before.clone();
    after.status = Some("Closed".into());
    after.summary = "Disk low on PC (resolved)".into();
    let ops = convert::ticket_patch(&before, &after, &lookups).unwrap();
    let patched = client.tickets().patch(&id, &ops).await.unwrap();
    assert_eq!(patched.version, Some(2));

    let fetched = client.tickets().get(&id).await.unwrap();
    let back = convert::ticket(&fetched, &lookups).unwrap();
    assert!(back.closed, "status category Closed");
    assert_eq!(back.summary, "Disk low on PC (resolved)");
    let stored = sandbox.asio_control().unwrap().ticket(id.as_str()).unwrap();
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["assets"][0]["isPrimary"], true);

    // A read-only field is refused by the fake; a non-replace op never leaves the client.
    let err = client
        .tickets()
        .patch(
            &id,
            &[PatchOperation::replace("/number", serde_json::json!("1"))],
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let add = PatchOperation {
        op: PatchOp::Add,
        path: "/tags/-".into(),
        value: serde_json::json!({}),
    };
    assert!(matches!(
        client.tickets().patch(&id, &[add]).await,
        Err(Error::InvalidInput(_))
    ));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn ticket_pages_and_notes() {
    let sandbox = sandbox(tenant(1, 2), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    let lookups = client.tickets().lookups().await.unwrap();
    let device = sandbox.tenant().rmm_devices[0].clone();
    let company = device.company.clone().unwrap().id;
    for n in 0..7 {
        let body = convert::new_ticket(
            &core_ticket(&format!("ticket {n}"), &company, &device.external.id),
            &lookups,
            "Alerts",
            "Monitoring",
        )
        .unwrap();
        client.tickets().create(&body).await.unwrap();
    }
    let all: Vec<_> = client
        .tickets()
        .list()
        .page_size(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    let unique: HashSet<_> = all.iter().map(|t| t.id.clone().unwrap()).collect();
    assert_eq!(unique.len(), 7);
    assert_eq!(
        sandbox.log().count(
            Vendor::Asio,
            Some("GET"),
            "/api/platform/v2/service/ticketing/tickets"
        ),
        3
    );
    let mine = client
        .tickets()
        .list()
        .param("companyIds", company.clone())
        .page(1)
        .await
        .unwrap();
    assert_eq!(mine.total_count, Some(7));
    let past = client.tickets().list().page_size(3).page(9).await.unwrap();
    assert!(past.tickets.is_empty());
    assert_eq!(past.total_count, Some(0));

    let id = all[0].id.clone().unwrap();
    client
        .tickets()
        .add_note(
            &id,
            &NewTicketNote::new("Rebooted the PC", NoteVisibility::INTERNAL),
        )
        .await
        .unwrap();
    let notes = client.tickets().notes(&id).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].visibility, Some(NoteVisibility::INTERNAL));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn custom_field_put_is_persisted() {
    let sandbox = sandbox(tenant(1, 2), AsioOptions::default(), 1.0).await;
    let scopes = format!(
        "{} platform.custom_fields_values.write platform.custom_fields_definitions.read",
        DEFAULT_SCOPES.join(" ")
    );
    let client = client(&sandbox, Some(&scopes));
    let defs = client
        .custom_fields()
        .definitions(Some(&EntityType::Device))
        .await
        .unwrap();
    assert_eq!(defs.len(), 1);
    let attr = defs[0].id.clone().unwrap();
    let endpoint = sandbox.tenant().rmm_devices[0].external.id.clone();
    let target = CustomFieldTarget::Endpoint(EndpointId::new(endpoint.as_str()));
    let before = client.custom_fields().values(&target).await.unwrap();
    assert_eq!(before[0].value, None);
    let update = CustomFieldValueUpdate {
        entity_id: endpoint.clone(),
        attribute_id: attr.clone(),
        value: Some("CFG-10042".into()),
    };
    let saved = client
        .custom_fields()
        .put_values(&target, &[update])
        .await
        .unwrap();
    assert_eq!(saved[0].value.as_deref(), Some("CFG-10042"));
    let after = client
        .custom_fields()
        .values_of(&target, std::slice::from_ref(&attr))
        .await
        .unwrap();
    assert_eq!(after[0].value.as_deref(), Some("CFG-10042"));
    assert_eq!(after[0].attribute_id(), Some(&attr));
    assert_eq!(
        sandbox
            .asio_control()
            .unwrap()
            .custom_field_value(&endpoint, attr.as_str())
            .as_deref(),
        Some("CFG-10042")
    );
    // Without the write scope the PUT is refused.
    let read_only = support::client(&sandbox, None);
    let update = CustomFieldValueUpdate {
        entity_id: endpoint,
        attribute_id: attr,
        value: None,
    };
    assert!(
        read_only
            .custom_fields()
            .put_values(&target, &[update])
            .await
            .unwrap_err()
            .is_forbidden()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn groups_details_and_legacy_v1() {
    let sandbox = sandbox(tenant(2, 10), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    let groups = client.device_groups().list().await.unwrap();
    let servers = groups
        .iter()
        .find(|g| g.name.as_deref() == Some("All Servers"))
        .unwrap();
    let members = client
        .device_groups()
        .endpoints(servers.id.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(members.len(), 2, "every tenth device is a server");
    let of = client
        .device_groups()
        .of_endpoint(&members[0])
        .await
        .unwrap();
    assert_eq!(of, [servers.id.clone().unwrap()]);

    let dev = sandbox.tenant().rmm_devices[3].clone();
    let (c, s) = (
        dev.company.clone().unwrap().id,
        dev.site.clone().unwrap().id,
    );
    let detail = client
        .devices()
        .detail(
            &CompanyId::new(c.as_str()),
            &SiteId::new(s.as_str()),
            &EndpointId::new(dev.external.id.as_str()),
            &["bios", "baseboard", "networks", "system"],
        )
        .await
        .unwrap();
    let core = convert::device_detail(&detail).unwrap();
    assert_eq!(core.serial_number, dev.serial_number);
    assert_eq!(core.hardware_uuid, dev.hardware_uuid);
    assert_eq!(core.mac_addresses, dev.mac_addresses);
    assert_eq!(core.site.unwrap().id, s);

    let rows = client
        .devices()
        .list_v1(&V1Scope::Company(CompanyId::new(c.as_str())))
        .await
        .unwrap();
    assert_eq!(rows.len(), 10);
    let v1 = client
        .devices()
        .detail_v1(&EndpointId::new(dev.external.id.as_str()))
        .await
        .unwrap();
    assert_eq!(
        v1.baseboard.unwrap().serial_number,
        dev.serial_number,
        "baseBoard in v1"
    );
    assert_eq!(
        v1.os.unwrap().language.as_deref(),
        Some("en-US"),
        "osLanguage in v1"
    );
    assert_eq!(
        v1.processors[0].clock_speed_mhz,
        Some(2400.0),
        "string speed in v1"
    );
    let state = client
        .devices()
        .system_state(&EndpointId::new(dev.external.id.as_str()))
        .await
        .unwrap();
    assert_eq!(state.last_logged_on_user.unwrap().username, dev.last_user);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_tenant_that_refuses_post_is_listed_with_get() {
    let sandbox = sandbox(
        tenant(3, 4),
        AsioOptions::default().device_list_get_only(true),
        1.0,
    )
    .await;
    let client = client(&sandbox, None);
    let ids = sandbox.asio_control().unwrap().company_ids();
    for _ in 0..2 {
        let listed = client
            .devices()
            .list(
                EndpointCategory::Platform,
                ResourceType::Company,
                ids.clone(),
            )
            .collect()
            .await
            .unwrap();
        assert_eq!(listed.len(), 12);
    }
    assert_eq!(
        sandbox.log().count_status(Vendor::Asio, 405),
        1,
        "remembered after the first refusal"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_generated_tenant_scans_completely() {
    let spec = psa_rmm_sandbox::TenantSpec::tiny().asio_share(1.0);
    let sandbox =
        psa_rmm_sandbox::Sandbox::start(psa_rmm_sandbox::SandboxOptions::default().tenant(spec))
            .await
            .unwrap();
    let client = client(&sandbox, None);
    let companies = client.companies().list().unwrap().collect().await.unwrap();
    let want: HashSet<String> = sandbox
        .tenant()
        .rmm_devices_of(&System::CwAsio)
        .map(|d| d.external.id.to_lowercase())
        .collect();
    assert!(!want.is_empty());
    let listed = client
        .devices()
        .of_companies(companies.iter().filter_map(|c| c.id.as_ref()))
        .fields(["system", "bios", "baseboard", "networks", "os"])
        .collect()
        .await
        .unwrap();
    let got: HashSet<String> = listed
        .iter()
        .map(|e| {
            e.endpoint
                .endpoint_id
                .clone()
                .unwrap()
                .as_str()
                .to_lowercase()
        })
        .collect();
    assert_eq!(got, want);
    for e in &listed {
        e.to_device().unwrap();
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn heartbeat_and_install_token_against_the_fake() {
    let sandbox = sandbox(tenant(6, 5), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    let ids: Vec<CompanyId> = sandbox
        .asio_control()
        .unwrap()
        .company_ids()
        .into_iter()
        .map(CompanyId::new)
        .collect();
    let hb = client.devices().heartbeat(&ids).await.unwrap();
    let online: usize = hb
        .successful_records
        .iter()
        .map(|g| g.endpoints.len())
        .sum();
    assert_eq!(online, 30);
    assert_eq!(
        sandbox.log().count(
            Vendor::Asio,
            Some("GET"),
            "/api/platform/v2/device/endpoints/heartbeat"
        ),
        2,
        "the fake takes `companies` first time, four at a time"
    );
    let dev = sandbox.tenant().rmm_devices[0].clone();
    let (c, s) = (
        CompanyId::new(dev.company.unwrap().id),
        SiteId::new(dev.site.unwrap().id),
    );
    let t1 = client.devices().install_token(&c, &s).await.unwrap();
    let t2 = client.devices().install_token(&c, &s).await.unwrap();
    assert_eq!(t1, t2, "get-or-create");
    sandbox.shutdown().await;
}
