//! Clients and connectors for the sandbox or real vendors, and the seeds' "Test Connection".

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use cw_asio_client::connector::AsioConnector;
use cw_manage_client::connector::ManageConnector;
use datto_rmm_client::budget::op;
use datto_rmm_client::connector::DattoConnector;
use datto_rmm_client::{Budget, Budgets};
use psa_rmm_core::connector::ConnectorError;
use psa_rmm_core::http::{RateLimiter, RetryPolicy, SecretString};
use psa_rmm_core::model::System;
use psa_rmm_core::sync::{CustomerLevel, PsaSide, RmmSide, SyncJob, SyncSettings};
use psa_rmm_sandbox::{RealBudget, Sandbox};

use crate::config::{AsioConfig, DattoConfig, ManageConfig, VendorConfig};

/// Name of the Asio endpoint custom field that receives the PSA configuration id in the sandbox.
pub const SANDBOX_ASIO_PSA_FIELD: &str = "PSA Configuration ID";

/// A vendor that could not be reached or refused the credentials, with what to check.
#[derive(Debug, thiserror::Error)]
#[error("{vendor}: {problem}\n{advice}")]
pub struct ConnectError {
    /// The vendor.
    pub vendor: &'static str,
    /// What went wrong (never a secret).
    pub problem: String,
    /// What to check, in the words of the seed integrations' guides.
    pub advice: String,
}

/// The seeds' advice when Test Connection fails.
pub fn advice(vendor: &'static str) -> &'static str {
    match vendor {
        MANAGE => {
            "Check: the site is the base URL (e.g. na.myconnectwise.net), not the API path; the company ID \
             matches your ConnectWise login exactly; both keys are re-copied without spaces or line breaks; the \
             API member's security role has the Companies, Configurations and Service Tickets permissions and \
             \"All Records\" access; ConnectWise is reachable from here."
        }
        DATTO => {
            "Check: the API URL names your platform (e.g. https://merlot-api.centrastage.net for Merlot); the \
             API key and secret come from Setup > Global Settings > Access Control with the API enabled; the \
             API user is not disabled. Syncing stops until working credentials are entered."
        }
        _ => {
            "Check: the client id and secret are copied correctly; the API key has every required scope \
             (Companies, Sites, Devices, Custom Fields values read and write); the Asio account has admin \
             privileges."
        }
    }
}

/// Display names of the vendors.
pub const MANAGE: &str = "ConnectWise Manage";
/// Datto RMM.
pub const DATTO: &str = "Datto RMM";
/// ConnectWise Asio.
pub const ASIO: &str = "ConnectWise Asio";

fn failed(vendor: &'static str, problem: impl ToString) -> ConnectError {
    ConnectError {
        vendor,
        problem: problem.to_string(),
        advice: advice(vendor).to_owned(),
    }
}

/// Connectors for the vendors that are configured.
#[derive(Clone, Default)]
pub struct Connectors {
    /// ConnectWise Manage.
    pub manage: Option<Arc<ManageConnector>>,
    /// Datto RMM.
    pub datto: Option<Arc<DattoConnector>>,
    /// ConnectWise Asio.
    pub asio: Option<Arc<AsioConnector>>,
    /// RMMs left out because they did not connect (sandbox only), with the reason.
    pub skipped: Vec<String>,
}

/// Builds a Manage client for `site` (a host such as `na.myconnectwise.net`, or a full URL for the
/// sandbox); `insecure` allows plain http (the sandbox).
pub fn manage_client(
    site: &str,
    company_id: &str,
    public_key: &str,
    private_key: SecretString,
    client_id: &str,
    insecure: bool,
) -> Result<cw_manage_client::Client, ConnectError> {
    let builder = cw_manage_client::Client::builder();
    let builder = if site.contains("://") {
        let url = site
            .parse()
            .map_err(|e| failed(MANAGE, format!("bad site URL {site:?}: {e}")))?;
        builder.base_url(url)
    } else {
        match site.parse::<cw_manage_client::Site>() {
            Ok(parsed) => builder.site(parsed),
            Err(never) => match never {},
        }
    };
    builder
        .company_id(company_id)
        .public_key(public_key)
        .private_key(private_key)
        .client_id(client_id)
        .allow_insecure_http(insecure)
        .build()
        .map_err(|e| failed(MANAGE, e))
}

/// Manage's Test Connection: `system/info`.
pub async fn test_manage(client: &cw_manage_client::Client) -> Result<String, ConnectError> {
    match client.test_connection().await {
        Ok(info) => Ok(format!(
            "version {}",
            info.version.as_deref().unwrap_or("unknown")
        )),
        Err(e) => Err(ConnectError {
            vendor: MANAGE,
            problem: e.to_string(),
            advice: format!(
                "{}\n{}",
                cw_manage_client::connection_hint(&e),
                advice(MANAGE)
            ),
        }),
    }
}

/// Builds a Datto client; `insecure` allows plain http (the sandbox).
pub fn datto_client(
    url: &str,
    key: &str,
    secret: SecretString,
    insecure: bool,
) -> Result<datto_rmm_client::Client, ConnectError> {
    datto_rmm_client::Client::builder()
        .base_url(url)
        .api_key(key)
        .api_secret(secret)
        .allow_insecure_http(insecure)
        .build()
        .map_err(|e| failed(DATTO, e))
}

/// A Manage client for the sandbox's fake, pacing itself to Manage's advised 600 requests a minute of
/// sandbox time (the fake's clock), as [`sandbox_datto_client`] does for Datto's budgets.
pub fn sandbox_manage_client(sandbox: &Sandbox) -> Result<cw_manage_client::Client, ConnectError> {
    let m = sandbox.manage_access();
    let url = m
        .base_url
        .parse()
        .map_err(|e| failed(MANAGE, format!("bad sandbox URL: {e}")))?;
    let per_minute = cw_manage_client::DEFAULT_REQUESTS_PER_MINUTE;
    let minute = sandbox.clock().to_real(Duration::from_secs(60));
    cw_manage_client::Client::builder()
        .base_url(url)
        .company_id(m.company_id)
        .public_key(m.public_key)
        .private_key(SecretString::from(m.private_key))
        .client_id(m.client_id)
        .allow_insecure_http(true)
        .rate_limit(Some(RateLimiter::new(per_minute, minute)))
        .retry_policy(in_sandbox_time(sandbox, RetryPolicy::default()))
        .build()
        .map_err(|e| failed(MANAGE, e))
}

/// Share of the Datto fake's budgets the sandbox client uses. On a fast sandbox clock a rolling window
/// lasts a second or less of real time, so the delay between the client's send and the fake's count (a
/// loaded machine can add a few hundred milliseconds) is a real part of the window, not the rounding error
/// it is within Datto's 60 s.
pub const SANDBOX_BUDGET_SHARE: f64 = 0.8;

/// A Datto client for the sandbox's fake, paced to [`SANDBOX_BUDGET_SHARE`] of the fake's budgets at the
/// sandbox clock's speed (600 reads a sandbox minute are 600 a real second on a clock 60 times faster),
/// with its waits (retry delays, the IP-block back-off) scaled the same way, so a fast sandbox is not read
/// at Datto's real-time pace and still never sees a 429.
pub fn sandbox_datto_client(sandbox: &Sandbox) -> Result<datto_rmm_client::Client, ConnectError> {
    let d = sandbox.datto_access();
    let fake = sandbox.datto_budgets();
    let budget = |b: RealBudget| {
        let share = (b.requests as f64 * SANDBOX_BUDGET_SHARE).floor().max(1.0);
        Budget::new(share as u32, b.period)
    };
    let budgets = Budgets {
        reads: budget(fake.reads),
        read_utilisation: 1.0,
        writes: budget(fake.writes),
        operations: BTreeMap::from([(op::DEVICE_UDF_SET.to_owned(), budget(fake.udf))]),
        operation_default: budget(fake.operation),
    };
    let clock = sandbox.clock();
    // Datto's own retry timings in sandbox time, its Retry-After cap too; the give-up cap stays real (it
    // bounds CPU, not the fake).
    let datto = datto_rmm_client::Client::default_retry_policy();
    let retry = RetryPolicy {
        max_retry_after: clock.to_real(datto.max_retry_after),
        ..in_sandbox_time(sandbox, datto)
    };
    datto_rmm_client::Client::builder()
        .base_url(d.base_url)
        .api_key(d.api_key)
        .api_secret(SecretString::from(d.api_secret))
        .allow_insecure_http(true)
        .budgets(budgets)
        .retry_policy(retry)
        .ip_block_backoff(clock.to_real(Duration::from_secs(300)))
        .build()
        .map_err(|e| failed(DATTO, e))
}

/// Scopes write-back needs on top of the client's defaults: find the custom field, write its values.
pub const ASIO_WRITE_BACK_SCOPES: [&str; 2] = [
    "platform.custom_fields_definitions.read",
    "platform.custom_fields_values.write",
];

/// An Asio client builder; `write_back` asks for the custom-field scopes too; `insecure` allows plain http
/// (the sandbox).
pub fn asio_builder(
    url: Option<&str>,
    id: &str,
    secret: SecretString,
    write_back: bool,
    insecure: bool,
) -> cw_asio_client::ClientBuilder {
    let mut builder = cw_asio_client::Client::builder()
        .client_id(id)
        .client_secret(secret)
        .allow_insecure_http(insecure);
    if write_back {
        let scopes: Vec<&str> = cw_asio_client::DEFAULT_SCOPES
            .iter()
            .chain(&ASIO_WRITE_BACK_SCOPES)
            .copied()
            .collect();
        builder = builder.scopes(scopes.join(" "));
    }
    if let Some(url) = url {
        builder = builder.base_url(url);
    } else if let Some(region) = cw_asio_client::Region::guess_from_client_id(id) {
        builder = builder.region(region);
    }
    builder
}

/// `policy` with its backoff in sandbox time, so a fault costs a fast sandbox what it would cost against
/// the vendor. The `Retry-After` cap is left alone: the Manage and Asio fakes send it in real seconds.
fn in_sandbox_time(sandbox: &Sandbox, policy: RetryPolicy) -> RetryPolicy {
    let clock = sandbox.clock();
    RetryPolicy {
        initial_delay: clock.to_real(policy.initial_delay),
        max_delay: clock.to_real(policy.max_delay),
        ..policy
    }
}

/// Datto's Test Connection: the account record.
pub async fn test_datto(client: &datto_rmm_client::Client) -> Result<String, ConnectError> {
    let account = client.account().get().await.map_err(|e| failed(DATTO, e))?;
    Ok(format!(
        "account {}",
        account.name.as_deref().unwrap_or("(unnamed)")
    ))
}

/// Asio's Test Connection: a token for the credentials.
pub async fn test_asio(client: &cw_asio_client::Client) -> Result<String, ConnectError> {
    client
        .check_credentials()
        .await
        .map_err(|e| failed(ASIO, e))?;
    Ok("token issued".to_owned())
}

fn connector_failed(vendor: &'static str, e: ConnectorError) -> ConnectError {
    failed(vendor, e)
}

async fn datto_connector(
    client: datto_rmm_client::Client,
    udf: u16,
) -> Result<Arc<DattoConnector>, ConnectError> {
    test_datto(&client).await?;
    Ok(Arc::new(DattoConnector::new(client).psa_udf(udf)))
}

async fn asio_connector(
    client: cw_asio_client::Client,
    field: Option<&str>,
) -> Result<Arc<AsioConnector>, ConnectError> {
    test_asio(&client).await?;
    let connector = AsioConnector::new(client);
    let connector = match field {
        Some(f) => connector
            .with_psa_field(f)
            .await
            .map_err(|e| connector_failed(ASIO, e))?,
        None => connector,
    };
    Ok(Arc::new(connector))
}

async fn manage_connector(
    client: cw_manage_client::Client,
) -> Result<Arc<ManageConnector>, ConnectError> {
    test_manage(&client).await?;
    Ok(Arc::new(ManageConnector::new(client)))
}

impl Connectors {
    /// The RMMs connected.
    pub fn rmm_systems(&self) -> Vec<System> {
        let mut out = Vec::new();
        if self.datto.is_some() {
            out.push(System::DattoRmm);
        }
        if self.asio.is_some() {
            out.push(System::CwAsio);
        }
        out
    }

    /// The job over these connectors: Manage as the PSA, each configured RMM (Datto sites and Asio
    /// companies as customers).
    pub fn job(&self, settings: SyncSettings) -> Result<SyncJob, ConnectError> {
        let Some(manage) = &self.manage else {
            return Err(failed(MANAGE, "the PSA is not configured"));
        };
        let psa = PsaSide {
            directory: manage.clone(),
            configurations: manage.clone(),
            tickets: Some(manage.clone()),
        };
        let mut rmms = Vec::new();
        if let Some(datto) = &self.datto {
            rmms.push(RmmSide {
                system: System::DattoRmm,
                customers: CustomerLevel::Sites,
                directory: datto.clone(),
                inventory: datto.clone(),
                alerts: Some(datto.clone()),
                writer: Some(datto.clone()),
            });
        }
        if let Some(asio) = &self.asio {
            rmms.push(RmmSide {
                system: System::CwAsio,
                customers: CustomerLevel::Companies,
                directory: asio.clone(),
                inventory: asio.clone(),
                alerts: None,
                writer: asio.has_psa_field().then(|| asio.clone() as _),
            });
        }
        Ok(SyncJob::new(psa, rmms).with_settings(settings))
    }

    /// Connectors for the sandbox's fakes (Test Connection included).
    pub async fn sandbox(sandbox: &Sandbox) -> Result<Self, ConnectError> {
        let manage = sandbox_manage_client(sandbox)?;
        let datto = sandbox_datto_client(sandbox)?;
        let a = sandbox.asio_access();
        let asio = asio_builder(
            Some(&a.base_url),
            &a.client_id,
            a.client_secret.into(),
            true,
            true,
        )
        .retry_policy(in_sandbox_time(sandbox, RetryPolicy::default()))
        .build()
        .map_err(|e| failed(ASIO, e))?;
        let mut out = Self {
            manage: Some(manage_connector(manage).await?),
            ..Self::default()
        };
        // An RMM fake that does not answer is left out (and said so) rather than stopping the demo.
        match datto_connector(datto, datto_rmm_client::connector::DEFAULT_PSA_UDF).await {
            Ok(c) => out.datto = Some(c),
            Err(e) => out.skipped.push(e.to_string()),
        }
        match asio_connector(asio, Some(SANDBOX_ASIO_PSA_FIELD)).await {
            Ok(c) => out.asio = Some(c),
            Err(e) => out.skipped.push(e.to_string()),
        }
        if out.datto.is_none() && out.asio.is_none() {
            return Err(ConnectError {
                vendor: "sandbox RMMs",
                problem: "no RMM fake connected".to_owned(),
                advice: out.skipped.join("\n"),
            });
        }
        Ok(out)
    }

    /// Connectors for the configured real vendors (Test Connection included).
    pub async fn from_config(config: &VendorConfig) -> Result<Self, ConnectError> {
        let mut out = Self::default();
        if let Some(ManageConfig {
            site,
            company_id,
            public_key,
            private_key,
            client_id,
        }) = &config.manage
        {
            let client = manage_client(
                site,
                company_id,
                public_key,
                private_key.clone(),
                client_id,
                false,
            )?;
            out.manage = Some(manage_connector(client).await?);
        }
        if let Some(DattoConfig {
            api_url,
            api_key,
            api_secret,
            psa_udf,
        }) = &config.datto
        {
            let client = datto_client(api_url, api_key, api_secret.clone(), false)?;
            out.datto = Some(datto_connector(client, *psa_udf).await?);
        }
        if let Some(AsioConfig {
            base_url,
            client_id,
            client_secret,
            psa_field,
        }) = &config.asio
        {
            let client = asio_builder(
                base_url.as_deref(),
                client_id,
                client_secret.clone(),
                psa_field.is_some(),
                false,
            )
            .build()
            .map_err(|e| failed(ASIO, e))?;
            out.asio = Some(asio_connector(client, psa_field.as_deref()).await?);
        }
        Ok(out)
    }
}
