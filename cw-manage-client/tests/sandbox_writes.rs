//! Writes against the sandbox's Manage fake: a PATCH answered 200 without applying is detected, tickets
//! close with read-back, incremental and id scans, callbacks register once.
#![allow(clippy::unwrap_used)] // helpers of a test crate, where a panic is the failure report

use std::collections::HashSet;
use std::sync::Arc;

use cw_manage_client::conditions::Query;
use cw_manage_client::model::{CallbackEntry, Configuration, Ticket};
use cw_manage_client::patch::Patch;
use cw_manage_client::{Client, Error, SecretString};
use futures::TryStreamExt;
use psa_rmm_sandbox::{ManageControl, Sandbox, SandboxOptions, TenantSpec};

async fn sandbox() -> (Sandbox, Arc<ManageControl>, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .unwrap();
    let control = sandbox.manage_control().unwrap();
    let access = sandbox.manage_access();
    let client = Client::builder()
        .base_url(access.base_url.parse().unwrap())
        .allow_insecure_http(true)
        .company_id(access.company_id.clone())
        .public_key(access.public_key.clone())
        .private_key(SecretString::from(access.private_key.clone()))
        .client_id(access.client_id.clone())
        .rate_limit(None)
        .build()
        .unwrap();
    (sandbox, control, client)
}

#[tokio::test]
async fn connection_test_passes_and_bad_keys_say_what_to_check() {
    let (sandbox, _, client) = sandbox().await;
    let info = client.test_connection().await.unwrap();
    assert!(info.version.is_some());
    let access = sandbox.manage_access();
    let wrong = Client::builder()
        .base_url(access.base_url.parse().unwrap())
        .allow_insecure_http(true)
        .company_id(access.company_id.clone())
        .public_key(access.public_key.clone())
        .private_key(SecretString::from("wrong-private-key"))
        .client_id(access.client_id.clone())
        .build()
        .unwrap();
    let e = wrong.test_connection().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    assert!(e.to_string().contains("public key and private key"), "{e}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_patch_answered_200_without_applying_is_detected() {
    let (sandbox, control, client) = sandbox().await;
    let first: Configuration = client
        .configurations()
        .all()
        .send()
        .await
        .unwrap()
        .items
        .remove(0);
    control.ignore_next_patches(1);
    let patch = Patch::new().replace("serialNumber", "NEW-SERIAL-1");
    let err = client
        .configurations()
        .update(first.id, &patch)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotApplied { path, .. } if path == "serialNumber"),
        "{err:?}"
    );
    // Sent again, the fake applies it and the read-back agrees.
    let ok = client
        .configurations()
        .update_verified(first.id, &patch)
        .await
        .unwrap();
    assert_eq!(ok.serial_number.as_deref(), Some("NEW-SERIAL-1"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tickets_close_by_moving_to_a_closed_status() {
    let (sandbox, control, client) = sandbox().await;
    let boards = client.boards().all().send().await.unwrap().items;
    let board = boards.first().expect("a seeded board").id;
    let company = client
        .companies()
        .all()
        .send()
        .await
        .unwrap()
        .items
        .remove(0)
        .id;
    let new = Ticket {
        summary: Some("Disk space low on PC-001".into()),
        board: Some(cw_manage_client::model::Reference::by_id(board)),
        company: Some(cw_manage_client::model::Reference::by_id(company)),
        initial_description: Some("C: below 5%".into()),
        ..Ticket::default()
    };
    let created = client.tickets().create(&new).await.unwrap();
    assert!(created.id.get() > 0);
    control.ignore_next_patches(1);
    let err = client.close_ticket(created.id).await.unwrap_err();
    assert!(matches!(err, Error::NotApplied { .. }), "{err:?}");
    let closed = client.close_ticket(created.id).await.unwrap();
    let statuses = client
        .board_statuses(board)
        .all()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let status = closed.status.and_then(|s| s.id).unwrap();
    assert!(
        statuses
            .iter()
            .any(|s| s.id == status && s.closed_status == Some(true))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn incremental_sync_and_deletion_scan() {
    let (sandbox, control, client) = sandbox().await;
    let all: Vec<i64> = client
        .configurations()
        .ids(Query::new())
        .stream()
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), control.count("company/configurations"));
    let gone = all[0];
    assert!(control.remove("company/configurations", gone));
    let now: HashSet<i64> = client
        .configurations()
        .ids(Query::new())
        .stream()
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    let deleted: Vec<i64> = all.iter().copied().filter(|id| !now.contains(id)).collect();
    assert_eq!(deleted, vec![gone]);
    // Changed since a moment in the future: nothing.
    let later = chrono::Utc::now() + chrono::Duration::days(3650);
    let changed: Vec<Configuration> = client
        .configurations()
        .changed_since(later)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(changed.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn callback_registration_is_idempotent() {
    let (sandbox, _, client) = sandbox().await;
    let entry = CallbackEntry::owner_level(
        "ticket",
        "https://hooks.example.com/cw?recordId=",
        "psa-rmm tickets",
    );
    let first = client.register_callback(&entry).await.unwrap();
    let second = client.register_callback(&entry).await.unwrap();
    assert_eq!(first.id, second.id);
    let all = client
        .callbacks()
        .all()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(
        all.iter().filter(|c| c.same_registration(&entry)).count(),
        1
    );
    sandbox.shutdown().await;
}
