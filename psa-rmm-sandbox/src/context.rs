//! What a fake's handlers can reach: the sandbox's shared clock, log, faults, tenant, credentials, options
//! and control handles.

use std::any::Any;
use std::sync::Arc;

use crate::clock::SandboxClock;
use crate::ext::Extensions;
use crate::fault::Faults;
use crate::log::RequestLog;
use crate::tenant::Tenant;
use crate::{Credentials, Vendor};

/// State shared by every fake of one sandbox.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) clock: SandboxClock,
    pub(crate) log: RequestLog,
    pub(crate) faults: Faults,
    pub(crate) tenant: Arc<Tenant>,
    pub(crate) credentials: Credentials,
    pub(crate) options: Extensions,
    pub(crate) controls: Extensions,
    pub(crate) seed: u64,
}

/// The handle a fake receives when it is mounted; cheap to clone, usable as axum state.
#[derive(Debug, Clone)]
pub struct FakeContext {
    vendor: Vendor,
    base_url: String,
    shared: Arc<Shared>,
}

impl FakeContext {
    pub(crate) fn new(vendor: Vendor, base_url: String, shared: Arc<Shared>) -> Self {
        Self {
            vendor,
            base_url,
            shared,
        }
    }

    /// The vendor this fake plays.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// This fake's own base URL, `http://127.0.0.1:<port>` without a trailing slash (for absolute links).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The sandbox clock: use it for rate windows and token lifetimes, never the system clock.
    pub fn clock(&self) -> &SandboxClock {
        &self.shared.clock
    }

    /// The request log (the framework already logs every request; fakes rarely need this).
    pub fn log(&self) -> &RequestLog {
        &self.shared.log
    }

    /// The scripted faults (the framework applies them before a fake's handler runs).
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The generated tenant to seed the fake's state from.
    pub fn tenant(&self) -> &Arc<Tenant> {
        &self.shared.tenant
    }

    /// The credentials every fake checks requests against.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// A vendor-specific options value the user put in `SandboxOptions::vendor_options`, if any.
    pub fn option<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.shared.options.get::<T>()
    }

    /// Publishes a control handle (e.g. a fake's state) so tests can fetch it with
    /// [`Sandbox::control`](crate::Sandbox::control).
    pub fn publish_control<T: Any + Send + Sync>(&self, control: T) {
        self.shared.controls.insert(control);
    }

    /// A seed for this fake's own random draws (token strings, generated ids), fixed by the sandbox seed.
    pub fn seed(&self) -> u64 {
        self.shared.seed ^ (self.vendor as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}
