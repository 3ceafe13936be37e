//! Injection properties of the Asio client's URLs: an id of any text stays one path segment.
//!
//! Requests go to httpmock on 127.0.0.1, which records the raw request target; each one must decode to
//! exactly the expected segments (the id among them, byte for byte), with no query or fragment added.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

#[path = "../../test-support/url_injection.rs"]
mod url_injection;

use cw_asio_client::Client;
use cw_asio_client::model::{CompanyId, EndpointId, TicketId};
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;
use url_injection::{harness, nasty};

const COMPANIES: [&str; 5] = ["api", "platform", "v1", "company", "companies"];
const ENDPOINTS_V1: [&str; 5] = ["api", "platform", "v1", "device", "endpoints"];
const MANAGED_V2: [&str; 4] = ["api", "platform", "v2", "managed-endpoints"];
const TICKETS_V1: [&str; 6] = ["api", "platform", "v1", "service", "ticketing", "tickets"];

fn path<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    prefix.iter().chain(rest).copied().collect()
}

#[test]
fn ids_stay_one_path_segment() {
    let token = json!({
        "access_token": "tok", "token_type": "Bearer", "expires_in": 3599, "scope": "platform"
    });
    let h = harness("/v1/token", token, |base_url| {
        Client::builder()
            .base_url(base_url)
            .client_id("id")
            .client_secret("secret")
            .scopes("platform")
            .allow_insecure_http(true)
            .build()
            .unwrap()
    });
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&nasty(), |id| {
            let i = id.clone();
            h.check(&path(&COMPANIES, &[&id]), None, |c| async move {
                c.companies().get(&CompanyId::new(i)).await
            })?;
            let i = id.clone();
            h.check(
                &path(&COMPANIES, &[&id, "sites"]),
                Some("limit=500"),
                |c| async move {
                    futures::TryStreamExt::try_collect::<Vec<_>>(
                        c.sites().of_company(&CompanyId::new(i))?.stream(),
                    )
                    .await
                },
            )?;
            let i = id.clone();
            h.check(&path(&ENDPOINTS_V1, &[&id]), None, |c| async move {
                c.devices().detail_v1(&EndpointId::new(i)).await
            })?;
            let i = id.clone();
            h.check(
                &path(&MANAGED_V2, &[&id, "device-groups"]),
                None,
                |c| async move { c.device_groups().of_endpoint(&EndpointId::new(i)).await },
            )?;
            let i = id.clone();
            h.check(&path(&TICKETS_V1, &[&id, "notes"]), None, |c| async move {
                c.tickets().notes(&TicketId::new(i)).await
            })?;
            Ok(())
        })
        .unwrap();
    // 96 cases of 5 calls: nearly all must reach the server, or the property checked only refusals.
    assert!(
        h.sent.get() >= 400,
        "only {} calls reached the server",
        h.sent.get()
    );
}
