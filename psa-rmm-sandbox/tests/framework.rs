//! The sandbox framework: start and stop, request log, scripted faults observed with reqwest, clock.

use std::time::{Duration, Instant};

use psa_rmm_sandbox::{Fault, FaultKind, Sandbox, SandboxOptions, TenantSpec, Vendor};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .expect("sandbox starts")
}

#[tokio::test]
async fn starts_three_servers_with_credentials_that_never_print() {
    let sb = sandbox().await;
    let (m, d, a) = (sb.manage_access(), sb.datto_access(), sb.asio_access());
    assert!(m.base_url.starts_with("http://127.0.0.1:"));
    assert_ne!(m.base_url, d.base_url);
    assert_ne!(d.base_url, a.base_url);
    let debug = format!("{m:?}{d:?}{a:?}");
    for secret in [&m.private_key, &d.api_secret, &a.client_secret] {
        assert!(!debug.contains(secret.as_str()));
    }
    let status = reqwest::get(format!("{}/nothing-here?apiKey=xyz", d.base_url))
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404);
    let log = sb.log().entries();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].vendor, Vendor::Datto);
    assert_eq!(log[0].status, Some(404));
    assert_eq!(log[0].query.as_deref(), Some("apiKey=REDACTED"));
    assert_eq!(sb.log().count(Vendor::Datto, Some("GET"), "/nothing*"), 1);
}

#[tokio::test]
async fn status_html_and_empty_faults_are_served_then_spent() {
    let sb = sandbox().await;
    let url = format!("{}/api/v2/account", sb.datto_access().base_url);
    sb.faults().push(
        Fault::new(
            Vendor::Datto,
            "/api/*",
            FaultKind::status(429)
                .retry_after(7)
                .body(r#"{"error":"x"}"#),
        )
        .method("GET"),
    );
    sb.faults().push(Fault::new(
        Vendor::Datto,
        "/api/*",
        FaultKind::HtmlBody(502),
    ));
    sb.faults().push(Fault::new(
        Vendor::Datto,
        "/api/*",
        FaultKind::EmptyBody(200),
    ));
    let client = reqwest::Client::new();

    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    assert_eq!(r.text().await.unwrap(), r#"{"error":"x"}"#);

    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 502);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("<html>"));

    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().is_empty());

    // All spent: the fake answers normally again (401: the Datto fake wants a bearer token).
    assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    assert!(sb.faults().is_empty());
    let faults: Vec<_> = sb
        .log()
        .entries()
        .into_iter()
        .map(|e| e.fault.is_some())
        .collect();
    assert_eq!(faults, [true, true, true, false]);
}

#[tokio::test]
async fn dropped_connection_gives_no_response_and_the_next_request_works() {
    let sb = sandbox().await;
    let url = format!("{}/anything", sb.asio_access().base_url);
    sb.faults()
        .push(Fault::new(Vendor::Asio, "*", FaultKind::DropConnection));
    let client = reqwest::Client::new();
    let err = client.get(&url).send().await.unwrap_err();
    assert!(!err.is_status(), "{err:?}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    assert_eq!(client.get(&url).send().await.unwrap().status(), 404);
    let entries = sb.log().entries();
    assert_eq!(entries[0].status, None);
    assert_eq!(entries[0].fault, Some(FaultKind::DropConnection));
}

#[tokio::test]
async fn delay_fault_slows_the_answer() {
    let sb = sandbox().await;
    let url = format!("{}/slow", sb.asio_access().base_url);
    sb.faults().push(Fault::new(
        Vendor::Asio,
        "/slow",
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let start = Instant::now();
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);
    assert!(start.elapsed() >= Duration::from_millis(300));
    let start = Instant::now();
    reqwest::get(&url).await.unwrap();
    assert!(start.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn probabilistic_faults_are_reproducible_per_seed() {
    async fn pattern(seed: u64) -> Vec<u16> {
        let sb = Sandbox::start(
            SandboxOptions::default()
                .tenant(TenantSpec::tiny())
                .seed(seed),
        )
        .await
        .unwrap();
        sb.faults()
            .push(Fault::new(Vendor::Datto, "*", FaultKind::status(503)).probability(0.5));
        let client = reqwest::Client::new();
        let mut out = Vec::new();
        for _ in 0..20 {
            let url = format!("{}/x", sb.datto_access().base_url);
            out.push(client.get(url).send().await.unwrap().status().as_u16());
        }
        out
    }
    let a = pattern(42).await;
    assert_eq!(a, pattern(42).await);
    assert!(a.contains(&503) && a.contains(&404), "{a:?}");
}

#[tokio::test]
async fn shutdown_stops_the_servers() {
    let sb = sandbox().await;
    let url = format!("{}/x", sb.manage_access().base_url);
    assert!(reqwest::get(&url).await.is_ok());
    sb.shutdown().await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    assert!(client.get(&url).send().await.is_err());
}

#[test]
fn clock_is_shared_and_scaled() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let sb = Sandbox::start(
            SandboxOptions::default()
                .tenant(TenantSpec::tiny())
                .clock_factor(0.0),
        )
        .await
        .unwrap();
        let t0 = sb.clock().now();
        sb.clock().advance(Duration::from_secs(3600));
        assert_eq!((sb.clock().now() - t0).num_seconds(), 3600);
    });
}
