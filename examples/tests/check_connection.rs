//! `check-connection` against the sandbox: good credentials pass for every vendor; each vendor's failure
//! signals (bad keys, wrong company, clientId, API access, IP block, scopes, locked key, unreachable host,
//! TLS) come back as the right typed reason with the matching advice; the binary's exit code follows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use psa_rmm_core::http::{RetryPolicy, SecretString};
use psa_rmm_examples::check::{
    CheckSettings, Failure, Outcome, Reason, Vendor, VendorCheck, check_all, sandbox_config,
};
use psa_rmm_examples::config::VendorConfig;
use psa_rmm_sandbox::asio::AsioOptions;
use psa_rmm_sandbox::{DattoOptions, Fault, FaultKind, Sandbox, SandboxOptions, TenantSpec};

/// Short waits so failures come back fast on a loaded machine, with room for slow answers.
fn fast() -> CheckSettings {
    CheckSettings {
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            max_attempts: 2,
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        datto_block_probe: Duration::from_millis(10),
    }
}

async fn sandbox(options: SandboxOptions) -> Sandbox {
    Sandbox::start(options.tenant(TenantSpec::tiny()))
        .await
        .unwrap()
}

fn only(config: &VendorConfig, vendor: Vendor) -> VendorConfig {
    VendorConfig {
        manage: config.manage.clone().filter(|_| vendor == Vendor::Manage),
        datto: config.datto.clone().filter(|_| vendor == Vendor::Datto),
        asio: config.asio.clone().filter(|_| vendor == Vendor::Asio),
    }
}

async fn failure_of(config: &VendorConfig) -> Failure {
    let checks = check_all(config, true, &fast()).await;
    assert_eq!(checks.len(), 1, "{checks:?}");
    checks[0]
        .failure()
        .cloned()
        .unwrap_or_else(|| panic!("expected a failure: {}", checks[0]))
}

fn assert_failure(f: &Failure, reason: Reason, advice_says: &str) {
    assert_eq!(f.reason, reason, "{f:?}");
    assert!(
        f.advice.contains(advice_says),
        "advice for {reason} should mention {advice_says:?}: {}",
        f.advice
    );
    assert!(!f.checklist.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vendor_passes_on_the_sandbox_and_says_what_it_verified() {
    let sb = sandbox(SandboxOptions::default()).await;
    let checks = check_all(&sandbox_config(&sb), true, &fast()).await;
    let vendors: Vec<Vendor> = checks.iter().map(|c| c.vendor).collect();
    assert_eq!(vendors, [Vendor::Manage, Vendor::Datto, Vendor::Asio]);
    for check in &checks {
        let Outcome::Ok { verified } = &check.outcome else {
            panic!("{check}");
        };
        assert!(verified.len() >= 3, "{check}");
    }
    let text: String = checks.iter().map(VendorCheck::to_string).collect();
    println!("{text}");
    assert!(text.contains("company \"Sandbox MSP\""), "{text}");
    assert!(text.contains("account \"Sandbox MSP\""), "{text}");
    assert!(text.contains("write-back included"), "{text}");
    assert!(
        text.contains("custom field \"PSA Configuration ID\" found"),
        "{text}"
    );
    assert!(text.contains("write-back UDF 30"), "{text}");
    assert!(psa_rmm_examples::check::exit_code(&checks) == std::process::ExitCode::SUCCESS);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_are_bad_credentials_per_vendor_without_leaking_the_secret() {
    let sb = sandbox(SandboxOptions::default()).await;
    let good = sandbox_config(&sb);
    let wrong = "Wrong-Secret-Value-123";
    let mut bad = good.clone();
    if let Some(m) = bad.manage.as_mut() {
        m.private_key = SecretString::from(wrong);
    }
    if let Some(d) = bad.datto.as_mut() {
        d.api_secret = SecretString::from(wrong);
    }
    if let Some(a) = bad.asio.as_mut() {
        a.client_secret = SecretString::from(wrong);
    }
    let checks = check_all(&bad, true, &fast()).await;
    assert_eq!(checks.len(), 3);
    for (check, says) in checks.iter().zip([
        "public and private keys",
        "key and secret",
        "client id and secret",
    ]) {
        let f = check.failure().unwrap_or_else(|| panic!("{check}"));
        assert_failure(f, Reason::BadCredentials, says);
        assert!(!check.to_string().contains(wrong), "{check}");
    }
    assert!(psa_rmm_examples::check::exit_code(&checks) == std::process::ExitCode::FAILURE);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_tells_a_wrong_company_id_from_a_wrong_client_id() {
    let sb = sandbox(SandboxOptions::default()).await;
    let good = only(&sandbox_config(&sb), Vendor::Manage);
    let mut company = good.clone();
    if let Some(m) = company.manage.as_mut() {
        m.company_id = "not-our-company".into();
    }
    assert_failure(
        &failure_of(&company).await,
        Reason::UnknownCompany,
        "company ID",
    );
    let mut client_id = good.clone();
    if let Some(m) = client_id.manage.as_mut() {
        m.client_id = "00000000-0000-0000-0000-000000000000".into();
    }
    assert_failure(
        &failure_of(&client_id).await,
        Reason::InvalidClientId,
        "clientId",
    );
    let mut api_path = good.clone();
    if let Some(m) = api_path.manage.as_mut() {
        m.site = format!("{}/v4_6_release/apis/3.0", m.site);
    }
    assert_failure(
        &failure_of(&api_path).await,
        Reason::WrongHost,
        "not the API path",
    );
    sb.faults().push(
        Fault::new(
            psa_rmm_sandbox::Vendor::Manage,
            "*/company/configurations/count",
            FaultKind::status(403),
        )
        .times(5),
    );
    assert_failure(
        &failure_of(&good).await,
        Reason::PermissionDenied,
        "security role",
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datto_tells_api_access_disabled_from_the_ip_block() {
    let sb = sandbox(SandboxOptions::default()).await;
    let datto = only(&sandbox_config(&sb), Vendor::Datto);
    // A token is issued, but the API refuses it even after the client's one renewal.
    sb.faults().push(
        Fault::new(
            psa_rmm_sandbox::Vendor::Datto,
            "/api/v2/account",
            FaultKind::status(401),
        )
        .times(2),
    );
    assert_failure(
        &failure_of(&datto).await,
        Reason::ApiAccessDisabled,
        "Enable API Access",
    );
    sb.shutdown().await;

    // One read a window, blocked after the first 429: the check's second read runs into the block.
    let sb = sandbox(
        SandboxOptions::default().vendor_option(
            DattoOptions::default()
                .read_limit(1)
                .block(1, Duration::from_secs(300)),
        ),
    )
    .await;
    let datto = only(&sandbox_config(&sb), Vendor::Datto);
    assert_failure(
        &failure_of(&datto).await,
        Reason::IpBlocked,
        "wait 5 minutes",
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asio_reports_a_missing_scope_and_a_locked_key() {
    let read_only: Vec<&str> = cw_asio_client::DEFAULT_SCOPES.to_vec();
    let sb = sandbox(
        SandboxOptions::default().vendor_option(AsioOptions::default().granted_scopes(read_only)),
    )
    .await;
    // Write-back asks for custom-field scopes this key was not granted.
    let asio = only(&sandbox_config(&sb), Vendor::Asio);
    assert_failure(&failure_of(&asio).await, Reason::MissingScope, "scope");
    let mut read = asio.clone();
    if let Some(a) = read.asio.as_mut() {
        a.psa_field = None;
    }
    let checks = check_all(&read, true, &fast()).await;
    assert!(checks[0].failure().is_none(), "{}", checks[0]);
    sb.shutdown().await;

    let sb = sandbox(
        SandboxOptions::default()
            .vendor_option(AsioOptions::default().token_burst(0, Duration::from_secs(60))),
    )
    .await;
    let asio = only(&sandbox_config(&sb), Vendor::Asio);
    assert_failure(&failure_of(&asio).await, Reason::KeyLocked, "423");
    sb.shutdown().await;
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_unreachable_and_plain_http_behind_https_is_tls() {
    let sb = sandbox(SandboxOptions::default()).await;
    let mut config = sandbox_config(&sb);
    let closed = format!("http://127.0.0.1:{}", closed_port());
    if let Some(m) = config.manage.as_mut() {
        m.site = closed.clone();
    }
    if let Some(d) = config.datto.as_mut() {
        d.api_url = closed.clone();
    }
    if let Some(a) = config.asio.as_mut() {
        a.base_url = Some(closed);
    }
    let checks = check_all(&config, true, &fast()).await;
    assert_eq!(checks.len(), 3);
    for check in &checks {
        let f = check.failure().unwrap_or_else(|| panic!("{check}"));
        assert_failure(f, Reason::Unreachable, "could not be reached");
        // The cause is spelled out, not only "transport error".
        assert!(f.detail.contains("Connection refused"), "{}", f.detail);
    }
    // https:// to the fake's plain-http port: the handshake fails.
    let mut tls = only(&sandbox_config(&sb), Vendor::Asio);
    if let Some(a) = tls.asio.as_mut() {
        a.base_url = Some(sb.asio_access().base_url.replace("http://", "https://"));
    }
    assert_failure(&failure_of(&tls).await, Reason::Tls, "certificate");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_back_field_that_does_not_exist_fails_the_check() {
    let sb = sandbox(SandboxOptions::default()).await;
    let mut config = sandbox_config(&sb);
    config.manage = None;
    if let Some(a) = config.asio.as_mut() {
        a.psa_field = Some("No Such Field".into());
    }
    if let Some(d) = config.datto.as_mut() {
        d.psa_udf = 0;
    }
    let checks = check_all(&config, true, &fast()).await;
    assert_failure(
        checks[0].failure().unwrap(),
        Reason::WriteBackField,
        "1 to 300",
    );
    assert_failure(
        checks[1].failure().unwrap(),
        Reason::WriteBackField,
        "custom field",
    );
    assert!(
        checks[1]
            .failure()
            .unwrap()
            .detail
            .contains("No Such Field")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn an_asio_key_without_base_url_or_known_region_is_a_configuration_failure() {
    let config = VendorConfig {
        asio: Some(psa_rmm_examples::config::AsioConfig {
            base_url: None,
            client_id: "zz-not-a-region-prefix".into(),
            client_secret: SecretString::from("s"),
            psa_field: None,
        }),
        ..VendorConfig::default()
    };
    let f = failure_of(&config).await;
    assert_failure(&f, Reason::Configuration, "README");
    assert!(f.detail.contains("base URL"), "{}", f.detail);
}

const VARIABLES: [&str; 14] = [
    "CW_MANAGE_SITE",
    "CW_MANAGE_COMPANY_ID",
    "CW_MANAGE_PUBLIC_KEY",
    "CW_MANAGE_PRIVATE_KEY",
    "CW_MANAGE_CLIENT_ID",
    "DATTO_RMM_API_URL",
    "DATTO_RMM_API_KEY",
    "DATTO_RMM_API_SECRET",
    "DATTO_RMM_PSA_UDF",
    "CW_ASIO_BASE_URL",
    "CW_ASIO_CLIENT_ID",
    "CW_ASIO_CLIENT_SECRET",
    "CW_ASIO_PSA_FIELD",
    "RUST_LOG",
];

fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_check-connection"));
    for v in VARIABLES {
        cmd.env_remove(v);
    }
    cmd
}

#[test]
fn the_binary_exits_zero_on_the_sandbox_and_non_zero_when_a_vendor_fails() {
    let ok = binary().output().unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(stdout.matches("OK    ").count(), 3, "{stdout}");

    let failed = binary()
        .env(
            "CW_ASIO_BASE_URL",
            format!("https://127.0.0.1:{}", closed_port()),
        )
        .env("CW_ASIO_CLIENT_ID", "id")
        .env("CW_ASIO_CLIENT_SECRET", "secret")
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&failed.stdout).unwrap();
    assert_eq!(json[0]["vendor"], "asio");
    assert_eq!(json[0]["status"], "fail");
    assert_eq!(json[0]["reason"], "unreachable");

    // Half a vendor's variables: a message naming the missing ones, no checks, no panic.
    let partial = binary().env("DATTO_RMM_API_KEY", "k").output().unwrap();
    assert_eq!(partial.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&partial.stderr);
    assert!(stderr.contains("DATTO_RMM_API_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
