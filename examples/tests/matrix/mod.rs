//! The fault matrix's harness: a sandbox per cell with a tiny tenant, clients with short timeouts and
//! backoffs, the scripted fault of each cell, and the checks that compare what a scan returned or what an
//! apply reported with what the sandbox holds.
// Each test binary (scan, apply) uses part of the harness.
#![allow(clippy::unwrap_used, dead_code)]

pub mod apply;
pub mod scan;

use std::sync::Arc;
use std::time::Duration;

use cw_asio_client::connector::AsioConnector;
use cw_manage_client::connector::ManageConnector;
use datto_rmm_client::Budget;
use datto_rmm_client::budget::op;
use datto_rmm_client::connector::DattoConnector;
use psa_rmm_core::connector::ErrorKind;
use psa_rmm_core::http::RetryPolicy;
use psa_rmm_examples::connect::{Connectors, SANDBOX_ASIO_PSA_FIELD};
use psa_rmm_sandbox::asio::AsioOptions;
use psa_rmm_sandbox::{
    DattoOptions, Fault, FaultKind, Sandbox, SandboxOptions, TenantSpec, Vendor,
};

/// The client timeout of the slow cell, which delays one answer past it.
pub const TIMEOUT: Duration = Duration::from_millis(500);
/// The delay of the slow cell.
pub const SLOW: Duration = Duration::from_millis(1_500);
/// The client timeout of the other cells: long enough that a loaded machine never times out by itself.
pub const RELAXED_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the Datto client holds back after the 403 IP block before its one probe.
pub const IP_BLOCK_BACKOFF: Duration = Duration::from_millis(200);

/// One column of the matrix: the fault a cell injects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// 429 with `Retry-After: 1`.
    Throttled429RetryAfter,
    /// 429 without `Retry-After`.
    Throttled429,
    /// 500.
    Status500,
    /// 502.
    Status502,
    /// 503.
    Status503,
    /// 504.
    Status504,
    /// The connection closes: before the fake runs on reads, after it stored the write on writes.
    Dropped,
    /// The answer comes after the client's timeout.
    Slow,
    /// A complete 200 answer holding half the JSON.
    Truncated,
    /// A 200 whose connection closes half-way through the promised body (the fake ran: a write is stored).
    BrokenBody,
    /// An HTML maintenance page with 503.
    Html,
    /// A 200 with an empty body.
    Empty,
    /// The bearer token expires mid-run (Manage: a 401 on its per-request Basic auth).
    TokenExpired,
    /// Datto's 403 IP block after throttling.
    DattoIpBlock,
    /// Asio's 423: the key asked for tokens too often.
    AsioKeyLocked,
}

/// The test's retry policy: production rules (a 500 retried on reads, a POST only when it never left),
/// short waits.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(80),
        max_elapsed: Duration::from_secs(8),
        max_retry_after: Duration::from_secs(2),
        retry_500: RetryPolicy::default().retry_500,
    }
}

/// Four companies and 24 devices split between Datto and Asio, with enough open alerts for tickets.
pub fn tenant() -> TenantSpec {
    let mut spec = TenantSpec::new(7, 4, 24).asio_share(0.5);
    spec.noise.open_alert = 0.4;
    spec.noise.name_variant = 0.0;
    spec.noise.location_coded_site = 0.0;
    spec
}

/// A running sandbox and the three connectors pointed at it.
pub struct Env {
    /// The sandbox.
    pub sandbox: Sandbox,
    /// The connectors (all three present).
    pub connectors: Connectors,
}

impl Env {
    /// A sandbox shaped for `cell` (the Datto block and the Asio lock need tighter fake limits).
    pub async fn start(cell: Cell) -> Self {
        let mut datto = DattoOptions::default().read_limit(1_000_000);
        datto.write_limit = 1_000_000;
        datto.operation_limit = 1_000_000;
        datto.udf_limit = 1_000_000;
        let mut asio = AsioOptions::default();
        if cell == Cell::AsioKeyLocked {
            // One token per 200 sandbox seconds: the renewal after an expiry mid-run locks the key.
            asio = asio.token_burst(1, Duration::from_secs(200));
        }
        let sandbox = Sandbox::start(
            SandboxOptions::default()
                .tenant(tenant())
                .vendor_option(datto)
                .vendor_option(asio),
        )
        .await
        .unwrap();
        let connectors = connectors(&sandbox, timeout(cell)).await;
        Self {
            sandbox,
            connectors,
        }
    }

    /// The Manage connector.
    pub fn manage(&self) -> &Arc<ManageConnector> {
        self.connectors.manage.as_ref().unwrap()
    }

    /// The Datto connector.
    pub fn datto(&self) -> &Arc<DattoConnector> {
        self.connectors.datto.as_ref().unwrap()
    }

    /// The Asio connector.
    pub fn asio(&self) -> &Arc<AsioConnector> {
        self.connectors.asio.as_ref().unwrap()
    }
}

/// The client timeout for `cell`.
pub fn timeout(cell: Cell) -> Duration {
    if cell == Cell::Slow {
        TIMEOUT
    } else {
        RELAXED_TIMEOUT
    }
}

/// The three connectors with the test's timeout, retry policy and budgets.
pub async fn connectors(sandbox: &Sandbox, timeout: Duration) -> Connectors {
    let m = sandbox.manage_access();
    let manage = cw_manage_client::Client::builder()
        .base_url(m.base_url.parse().unwrap())
        .company_id(m.company_id)
        .public_key(m.public_key)
        .private_key(m.private_key.into())
        .client_id(m.client_id)
        .allow_insecure_http(true)
        .timeout(timeout)
        .retry_policy(retry_policy())
        .build()
        .unwrap();
    let d = sandbox.datto_access();
    let datto = datto_rmm_client::Client::builder()
        .base_url(d.base_url)
        .api_key(d.api_key)
        .api_secret(d.api_secret)
        .allow_insecure_http(true)
        .read_budget(Budget::per_minute(1_000_000))
        .write_budget(Budget::per_minute(1_000_000))
        .udf_budget(Budget::per_minute(1_000_000))
        .operation_budget(op::DEVICE_WARRANTY, Budget::per_minute(1_000_000))
        .operation_budget(op::ALERT_RESOLVE, Budget::per_minute(1_000_000))
        .ip_block_backoff(IP_BLOCK_BACKOFF)
        .timeout(timeout)
        .retry_policy(retry_policy())
        .build()
        .unwrap();
    let a = sandbox.asio_access();
    let scopes: Vec<&str> = cw_asio_client::DEFAULT_SCOPES
        .iter()
        .copied()
        .chain([
            "platform.custom_fields_definitions.read",
            "platform.custom_fields_values.write",
        ])
        .collect();
    let asio = cw_asio_client::Client::builder()
        .base_url(a.base_url)
        .client_id(a.client_id)
        .client_secret(a.client_secret)
        .scopes(scopes.join(" "))
        .allow_insecure_http(true)
        .timeout(timeout)
        .retry_policy(retry_policy())
        .build()
        .unwrap();
    let asio = AsioConnector::new(asio)
        .with_psa_field(SANDBOX_ASIO_PSA_FIELD)
        .await
        .unwrap();
    Connectors {
        manage: Some(Arc::new(ManageConnector::new(manage))),
        datto: Some(Arc::new(DattoConnector::new(datto))),
        asio: Some(Arc::new(asio)),
        skipped: Vec::new(),
    }
}

/// The fault kind of a status cell, or of a body cell, as it is pushed for `cell`.
pub fn kind(cell: Cell, write: bool) -> Option<FaultKind> {
    Some(match cell {
        Cell::Throttled429RetryAfter => FaultKind::status(429).retry_after(1),
        Cell::Throttled429 => FaultKind::status(429),
        Cell::Status500 => FaultKind::status(500).body(r#"{"code":"InternalError"}"#),
        Cell::Status502 => FaultKind::status(502),
        Cell::Status503 => FaultKind::status(503),
        Cell::Status504 => FaultKind::status(504),
        Cell::Dropped if write => FaultKind::DropAfterHandling,
        Cell::Dropped => FaultKind::DropConnection,
        Cell::Slow => FaultKind::Delay(SLOW),
        Cell::Truncated => FaultKind::TruncatedBody,
        Cell::BrokenBody => FaultKind::BrokenBody,
        Cell::Html => FaultKind::HtmlBody(503),
        Cell::Empty => FaultKind::EmptyBody(200),
        Cell::TokenExpired | Cell::DattoIpBlock | Cell::AsioKeyLocked => return None,
    })
}

/// A fault rule for `vendor` on `path`, restricted to `method`, firing once.
pub fn once(vendor: Vendor, method: &str, path: &str, kind: FaultKind) -> Fault {
    Fault::new(vendor, path, kind).method(method).times(1)
}

/// One `#[test]` per row: `name: Vendor Cell => expected;`, run by `matrix::<$flow>::cell`.
macro_rules! cells {
    ($flow:ident; $($name:ident: $vendor:ident $cell:ident => $expect:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            matrix::$flow::cell(
                psa_rmm_sandbox::Vendor::$vendor,
                matrix::Cell::$cell,
                $expect,
            )
            .await;
        }
    )*};
}

/// The row of a cell that recovers.
pub const OK: Outcome = Outcome::Recovered;

/// The row of a cell that ends with a typed error of `kind` and `status`.
pub const fn failed(kind: ErrorKind, status: Option<u16>) -> Outcome {
    Outcome::Failed(kind, status)
}

/// How a cell ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every record (or write) exactly once.
    Recovered,
    /// A typed error of this kind and status.
    Failed(ErrorKind, Option<u16>),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Recovered => f.write_str("recovered"),
            Self::Failed(kind, Some(status)) => write!(f, "typed error {kind:?} (HTTP {status})"),
            Self::Failed(kind, None) => write!(f, "typed error {kind:?}"),
        }
    }
}

/// Prints the cell's row for RELIABILITY.md (`cargo test ... -- --nocapture | grep '^CELL'`).
pub fn row(vendor: Vendor, cell: Cell, mode: &str, text: &str) {
    println!("CELL | {vendor:?} | {cell:?} | {mode} | {text}");
}
