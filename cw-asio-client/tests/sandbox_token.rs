//! Tokens against the sandbox's Asio fake: one renewal for 20 concurrent requests at expiry, 423 on token
//! spam, scopes.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use cw_asio_client::Error;
use psa_rmm_sandbox::Vendor;
use psa_rmm_sandbox::asio::AsioOptions;
use support::*;

const TOKEN: &str = "/v1/token";

async fn twenty_at_once(client: &cw_asio_client::Client) {
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.companies().list().unwrap().limit(5).send().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().items.len(), 5);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_requests_at_token_expiry_cause_exactly_one_token_request() {
    // 30 s tokens on a 10x clock: `expires_in` is 3 real seconds, renewed a fifth early.
    let asio = AsioOptions::default().token_lifetime(Duration::from_secs(30));
    let sandbox = sandbox(tenant(8, 2), asio, 10.0).await;
    let client = client(&sandbox, None);
    client.check_credentials().await.unwrap();
    assert_eq!(sandbox.log().count(Vendor::Asio, Some("POST"), TOKEN), 1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    twenty_at_once(&client).await;
    assert_eq!(
        sandbox.log().count(Vendor::Asio, Some("POST"), TOKEN),
        2,
        "exactly one renewal"
    );
    assert_eq!(
        sandbox.log().count_status(Vendor::Asio, 401),
        0,
        "renewed before the server refused it"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_401s_after_server_side_expiry_renew_once() {
    let sandbox = sandbox(tenant(8, 2), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    client.check_credentials().await.unwrap();
    sandbox.asio_control().unwrap().expire_tokens();
    twenty_at_once(&client).await;
    assert_eq!(
        sandbox.log().count(Vendor::Asio, Some("POST"), TOKEN),
        2,
        "exactly one renewal"
    );
    // Requests that start after the renewal carry the new token; at least the first one was refused.
    let refused = sandbox.log().count_status(Vendor::Asio, 401);
    assert!((1..=20).contains(&refused), "{refused} refusals");
    assert_eq!(client.tokens_requested(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn token_spam_locks_the_key_and_the_client_stops_asking() {
    let asio = AsioOptions::default().token_burst(3, Duration::from_secs(60));
    let sandbox = sandbox(tenant(2, 1), asio, 1.0).await;
    // Clients created per request (the mistake that locks keys): each mints its own token.
    for _ in 0..3 {
        client(&sandbox, None).check_credentials().await.unwrap();
    }
    let greedy = client(&sandbox, None);
    let err = greedy.check_credentials().await.unwrap_err();
    assert!(matches!(err, Error::KeyLocked { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(sandbox.asio_control().unwrap().key_locked());
    let again = greedy.companies().list().unwrap().send().await.unwrap_err();
    assert!(matches!(again, Error::KeyLocked { .. }));
    assert_eq!(
        sandbox.log().count(Vendor::Asio, Some("POST"), TOKEN),
        4,
        "the locked client does not ask again"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn scopes_the_key_lacks_fail_the_token_or_the_call() {
    let asio =
        AsioOptions::default().granted_scopes(["platform.companies.read", "platform.sites.read"]);
    let sandbox = sandbox(tenant(2, 1), asio, 1.0).await;
    let err = client(&sandbox, None)
        .check_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(400),
        "default scopes include ungranted ones"
    );
    let narrow = client(&sandbox, Some("platform.companies.read"));
    assert_eq!(
        narrow
            .companies()
            .list()
            .unwrap()
            .collect()
            .await
            .unwrap()
            .len(),
        2
    );
    let err = narrow.tickets().statuses().await.unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");
    let limits = narrow.rate_limits().await.unwrap();
    assert!(limits.resources.contains_key("partner"));
    sandbox.shutdown().await;
}
