//! Stateful fake ConnectWise Manage, Datto RMM and ConnectWise Asio servers on 127.0.0.1, with scripted
//! faults, a request log, a scalable clock and a seeded tenant generator.
//!
//! ```no_run
//! # async fn demo() -> Result<(), psa_rmm_sandbox::SandboxError> {
//! use psa_rmm_sandbox::{Fault, FaultKind, Sandbox, SandboxOptions, TenantSpec, Vendor};
//! let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::small())).await?;
//! let manage = sandbox.manage_access();
//! println!("Manage at {} as company {}", manage.base_url, manage.company_id);
//! sandbox.faults().push(Fault::new(Vendor::Manage, "*/company/configurations", FaultKind::status(503)));
//! // ... point a client at manage.base_url, then:
//! assert_eq!(sandbox.log().count_status(Vendor::Manage, 503), 1);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The sandbox depends on nothing of this workspace but `psa-rmm-core`'s models, so a fake can never share a
//! bug with the client it tests.
//!
//! # Adding a fake (for the Datto and Asio fakes)
//!
//! 1. Write `src/datto.rs` (or `src/datto/mod.rs`) with `pub(crate) fn router(ctx: FakeContext) -> Router`.
//!    Build the fake's state from [`FakeContext::tenant`] (RMM sites and devices whose `external.system` is
//!    yours), keep it behind an `Arc<Mutex<..>>` captured as axum state, and return the routes. Paths are
//!    absolute from the server root (`/api/v2/account/devices`, `/auth/oauth/token`).
//! 2. In this file, declare the module and make `datto_router` (or `asio_router`) call yours: one line.
//! 3. Auth: check [`Credentials`] from [`FakeContext::credentials`] with [`auth::basic_credentials`] /
//!    [`auth::bearer_token`]; issue and check OAuth tokens with [`auth::TokenStore`] (expiry on the clock).
//! 4. Rate limits: [`WindowLimiter`] on [`FakeContext::clock`] (a [`SandboxClock`] scaled by
//!    `SandboxOptions::clock_factor` and advanced by tests), never `Instant::now`.
//! 5. Faults and the request log need no code: the framework wraps every fake's router with a layer that
//!    applies the scripted [`Fault`]s (matched on vendor, method and path glob) and logs each request.
//! 6. Test knobs: put a control handle (e.g. `DattoControl { state: Arc<Mutex<..>> }`) in
//!    [`FakeContext::publish_control`]; tests fetch it with [`Sandbox::control`]. Vendor options a user sets
//!    go in [`SandboxOptions::vendor_options`] and are read with [`FakeContext::option`]. You may add an
//!    `impl Sandbox { pub fn datto_control(&self) -> .. }` block in your own module.
//! 7. Random draws (ids, tokens) come from [`SeededRng`] seeded by [`FakeContext::seed`].

pub mod asio;
pub mod auth;
pub mod clock;
mod context;
mod datto;
pub mod ext;
pub mod fault;
mod limit;
pub mod log;
pub mod manage;
pub mod rng;
mod server;
pub mod tenant;

use std::any::Any;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::SandboxClock;
pub use context::FakeContext;
pub use datto::{DattoBudgets, DattoControl, DattoOptions, RealBudget};
pub use ext::Extensions;
pub use fault::{Fault, FaultKind, Faults, Trigger};
pub use limit::WindowLimiter;
pub use log::{LoggedRequest, RequestLog};
pub use manage::ManageControl;
pub use rng::SeededRng;
pub use tenant::{Tenant, TenantSpec};

/// The vendor a fake plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    /// ConnectWise Manage (PSA).
    Manage,
    /// Datto RMM.
    Datto,
    /// ConnectWise Asio (RMM).
    Asio,
}

/// Errors starting the sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// A listener could not bind 127.0.0.1.
    #[error("cannot bind a sandbox listener on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
}

/// Credentials of the three fake accounts. Debug never shows the secret halves.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Manage company id (the login company, e.g. "sandbox").
    pub manage_company_id: String,
    /// Manage API member public key.
    pub manage_public_key: String,
    /// Manage API member private key (secret).
    pub manage_private_key: String,
    /// Manage integrator clientId (sent in the `clientId` header).
    pub manage_client_id: String,
    /// Datto RMM API key.
    pub datto_api_key: String,
    /// Datto RMM API secret key (secret).
    pub datto_api_secret: String,
    /// Asio OAuth client id.
    pub asio_client_id: String,
    /// Asio OAuth client secret (secret).
    pub asio_client_secret: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            manage_company_id: "sandbox".into(),
            manage_public_key: "SbxPublicKey01".into(),
            manage_private_key: "SbxPrivateKey-do-not-log".into(),
            manage_client_id: "6a1ea6a0-5b7e-4c1e-9e58-0c5a5b5d0001".into(),
            datto_api_key: "SBX-DATTO-KEY".into(),
            datto_api_secret: "SbxDattoSecret-do-not-log".into(),
            asio_client_id: "sbx-asio-client".into(),
            asio_client_secret: "SbxAsioSecret-do-not-log".into(),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("manage_company_id", &self.manage_company_id)
            .field("manage_public_key", &self.manage_public_key)
            .field("manage_private_key", &"<redacted>")
            .field("manage_client_id", &self.manage_client_id)
            .field("datto_api_key", &self.datto_api_key)
            .field("datto_api_secret", &"<redacted>")
            .field("asio_client_id", &self.asio_client_id)
            .field("asio_client_secret", &"<redacted>")
            .finish()
    }
}

/// How to start a sandbox. Build with `SandboxOptions::default()` and the setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxOptions {
    /// The tenant to generate (ignored when `tenant_data` is set). Default: [`TenantSpec::small`].
    pub tenant: TenantSpec,
    /// An already generated tenant to serve (share one big tenant between several sandboxes).
    pub tenant_data: Option<Arc<Tenant>>,
    /// Speed of the sandbox clock relative to real time (default 1.0; 0.0 freezes it).
    pub clock_factor: f64,
    /// Seed of probabilistic faults and of the fakes' own random draws.
    pub seed: u64,
    /// Credentials the fakes accept.
    pub credentials: Credentials,
    /// Options of the Manage fake.
    pub manage: manage_options::ManageOptions,
    /// Options of other fakes, by type (see [`FakeContext::option`]).
    pub vendor_options: Extensions,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            tenant: TenantSpec::small(),
            tenant_data: None,
            clock_factor: 1.0,
            seed: 0x5A4D_B0C5,
            credentials: Credentials::default(),
            manage: manage_options::ManageOptions::default(),
            vendor_options: Extensions::new(),
        }
    }
}

impl SandboxOptions {
    /// Generates this tenant.
    pub fn tenant(mut self, spec: TenantSpec) -> Self {
        self.tenant = spec;
        self
    }

    /// Serves this already generated tenant.
    pub fn tenant_data(mut self, tenant: Arc<Tenant>) -> Self {
        self.tenant_data = Some(tenant);
        self
    }

    /// Sets the clock speed-up factor.
    pub fn clock_factor(mut self, factor: f64) -> Self {
        self.clock_factor = factor;
        self
    }

    /// Sets the credentials the fakes accept.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the seed of faults and fake-internal draws.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the Manage fake's options.
    pub fn manage(mut self, manage: manage_options::ManageOptions) -> Self {
        self.manage = manage;
        self
    }

    /// Adds an options value for another fake.
    pub fn vendor_option<T: Any + Send + Sync>(self, value: T) -> Self {
        self.vendor_options.insert(value);
        self
    }
}

pub use manage_options::ManageOptions;

mod manage_options {
    //! Options of the Manage fake.

    use std::time::Duration;

    /// How the Manage fake behaves.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct ManageOptions {
        /// Codebase returned by `login/companyinfo` (e.g. "v4_6_release/"); paths under other codebases 404.
        pub codebase: String,
        /// Requests allowed per `rate_window` of sandbox-clock time before 429 (0 = unlimited).
        pub rate_limit: usize,
        /// The rate window.
        pub rate_window: Duration,
    }

    impl Default for ManageOptions {
        fn default() -> Self {
            Self {
                codebase: "v4_6_release/".into(),
                rate_limit: 0,
                rate_window: Duration::from_secs(60),
            }
        }
    }

    impl ManageOptions {
        /// Sets the rate limit: `limit` requests per `window` of sandbox time.
        pub fn rate_limit(mut self, limit: usize, window: Duration) -> Self {
            self.rate_limit = limit;
            self.rate_window = window;
            self
        }

        /// Sets the codebase.
        pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
            self.codebase = codebase.into();
            self
        }
    }
}

/// Where the Manage fake listens and how to log in.
#[derive(Clone)]
pub struct ManageAccess {
    /// `http://127.0.0.1:<port>` (codebase discovery at `/login/companyinfo/{company}`).
    pub base_url: String,
    /// The site as a client builder takes it: `127.0.0.1:<port>`.
    pub site: String,
    /// Login company id.
    pub company_id: String,
    /// Public key.
    pub public_key: String,
    /// Private key (secret).
    pub private_key: String,
    /// clientId header value.
    pub client_id: String,
}

impl std::fmt::Debug for ManageAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManageAccess")
            .field("base_url", &self.base_url)
            .field("company_id", &self.company_id)
            .field("public_key", &self.public_key)
            .field("private_key", &"<redacted>")
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// Where the Datto RMM fake listens and how to log in.
#[derive(Clone)]
pub struct DattoAccess {
    /// `http://127.0.0.1:<port>`: the API and the token endpoint share this origin.
    pub base_url: String,
    /// API key.
    pub api_key: String,
    /// API secret key (secret).
    pub api_secret: String,
}

impl std::fmt::Debug for DattoAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoAccess")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("api_secret", &"<redacted>")
            .finish()
    }
}

/// Where the Asio fake listens and how to log in.
#[derive(Clone)]
pub struct AsioAccess {
    /// `http://127.0.0.1:<port>`: the API and the token endpoint share this origin.
    pub base_url: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (secret).
    pub client_secret: String,
}

impl std::fmt::Debug for AsioAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsioAccess")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// Builds a fake's router from its context.
type Mount = fn(FakeContext) -> Router;

/// The router of the Manage fake.
fn manage_router(ctx: FakeContext) -> Router {
    manage::router(ctx)
}

/// The router of the Datto RMM fake (see [`datto`]).
fn datto_router(ctx: FakeContext) -> Router {
    datto::router(ctx)
}

/// The router of the Asio fake (see [`asio`]).
fn asio_router(ctx: FakeContext) -> Router {
    asio::router(ctx)
}

/// A running sandbox: three fake servers sharing one clock, log, fault book and tenant.
///
/// Dropping it stops the servers; [`shutdown`](Self::shutdown) also waits for them to finish.
#[derive(Debug)]
pub struct Sandbox {
    shared: Arc<context::Shared>,
    manage_url: String,
    datto_url: String,
    asio_url: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Generates the tenant (unless given), binds three listeners on 127.0.0.1 with random ports and starts
    /// the fakes. Must be called inside a Tokio runtime.
    pub async fn start(options: SandboxOptions) -> Result<Self, SandboxError> {
        let tenant = match options.tenant_data.clone() {
            Some(tenant) => tenant,
            None => Arc::new(Tenant::generate(&options.tenant)),
        };
        options.vendor_options.insert(options.manage.clone());
        let shared = Arc::new(context::Shared {
            clock: SandboxClock::new(options.clock_factor),
            log: RequestLog::new(),
            faults: Faults::new(options.seed),
            tenant,
            credentials: options.credentials.clone(),
            options: options.vendor_options.clone(),
            controls: Extensions::new(),
            seed: options.seed,
        });
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        let mut urls = Vec::new();
        let mounts: [(Vendor, Mount); 3] = [
            (Vendor::Manage, manage_router),
            (Vendor::Datto, datto_router),
            (Vendor::Asio, asio_router),
        ];
        for (vendor, mount) in mounts {
            let listener = TcpListener::bind(("127.0.0.1", 0))
                .await
                .map_err(SandboxError::Bind)?;
            let addr = listener.local_addr().map_err(SandboxError::Bind)?;
            let url = format!("http://{addr}");
            let ctx = FakeContext::new(vendor, url.clone(), shared.clone());
            let router = mount(ctx.clone());
            tasks.push(server::spawn(listener, router, ctx, stopped.clone()));
            urls.push(url);
        }
        let [manage_url, datto_url, asio_url] = <[String; 3]>::try_from(urls)
            .map_err(|_| SandboxError::Bind(std::io::Error::other("listener count")))?;
        Ok(Self {
            shared,
            manage_url,
            datto_url,
            asio_url,
            stop,
            tasks,
        })
    }

    /// Base URL and credentials of the Manage fake.
    pub fn manage_access(&self) -> ManageAccess {
        let c = &self.shared.credentials;
        ManageAccess {
            site: self.manage_url.trim_start_matches("http://").to_owned(),
            base_url: self.manage_url.clone(),
            company_id: c.manage_company_id.clone(),
            public_key: c.manage_public_key.clone(),
            private_key: c.manage_private_key.clone(),
            client_id: c.manage_client_id.clone(),
        }
    }

    /// Base URL and credentials of the Datto RMM fake.
    pub fn datto_access(&self) -> DattoAccess {
        let c = &self.shared.credentials;
        DattoAccess {
            base_url: self.datto_url.clone(),
            api_key: c.datto_api_key.clone(),
            api_secret: c.datto_api_secret.clone(),
        }
    }

    /// Base URL and credentials of the Asio fake.
    pub fn asio_access(&self) -> AsioAccess {
        let c = &self.shared.credentials;
        AsioAccess {
            base_url: self.asio_url.clone(),
            client_id: c.asio_client_id.clone(),
            client_secret: c.asio_client_secret.clone(),
        }
    }

    /// The request log of all three fakes.
    pub fn log(&self) -> &RequestLog {
        &self.shared.log
    }

    /// The scripted faults of all three fakes.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The sandbox clock.
    pub fn clock(&self) -> &SandboxClock {
        &self.shared.clock
    }

    /// The tenant the fakes were seeded with (with its `truth`); later writes to a fake do not change it.
    pub fn tenant(&self) -> &Arc<Tenant> {
        &self.shared.tenant
    }

    /// A control handle a fake published with [`FakeContext::publish_control`].
    pub fn control<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.shared.controls.get::<T>()
    }

    /// Stops the servers and waits for them (open keep-alive connections are closed).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let handle = task.abort_handle();
            if tokio::time::timeout(std::time::Duration::from_secs(2), task)
                .await
                .is_err()
            {
                handle.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}
