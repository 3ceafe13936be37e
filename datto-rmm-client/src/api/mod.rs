//! Typed resource groups: `client.account()`, `client.site(uid)`, `client.device(uid)`, `client.devices()`,
//! `client.audits()`, `client.alerts()`, `client.jobs()`, `client.activity_logs()`, `client.system()`.

mod account;
mod activity;
mod alert;
mod audit;
mod device;
mod job;
mod site;
mod system;

pub use account::AccountApi;
pub use activity::ActivityLogQuery;
pub use alert::AlertsApi;
pub use audit::AuditsApi;
pub use device::{DeviceApi, DevicesApi, normalise_mac};
pub use job::JobsApi;
pub use site::{SiteApi, SitesApi};
pub use system::SystemApi;

use reqwest::Method;
use serde::Serialize;

use crate::client::{Client, Op};
use crate::error::{Error, Result};
use crate::ids::{DeviceUid, SiteUid};

impl Client {
    /// The account: its sites, devices, alerts, variables, users, components.
    pub fn account(&self) -> AccountApi {
        AccountApi::new(self.clone())
    }

    /// Site creation and lookup.
    pub fn sites(&self) -> SitesApi {
        SitesApi::new(self.clone())
    }

    /// One site.
    pub fn site(&self, uid: impl Into<SiteUid>) -> SiteApi {
        SiteApi::new(self.clone(), uid.into())
    }

    /// Device lookups by id or MAC.
    pub fn devices(&self) -> DevicesApi {
        DevicesApi::new(self.clone())
    }

    /// One device.
    pub fn device(&self, uid: impl Into<DeviceUid>) -> DeviceApi {
        DeviceApi::new(self.clone(), uid.into())
    }

    /// Hardware, software, ESXi and printer audits.
    pub fn audits(&self) -> AuditsApi {
        AuditsApi::new(self.clone())
    }

    /// Single alerts and resolving them.
    pub fn alerts(&self) -> AlertsApi {
        AlertsApi::new(self.clone())
    }

    /// Jobs and their results.
    pub fn jobs(&self) -> JobsApi {
        JobsApi::new(self.clone())
    }

    /// Activity logs (the only time-filtered feed Datto has).
    pub fn activity_logs(&self) -> ActivityLogQuery {
        ActivityLogQuery::new(self.clone())
    }

    /// System status, request rate and pagination.
    pub fn system(&self) -> SystemApi {
        SystemApi::new(self.clone())
    }

    /// Sends a write; Datto answers most writes with an empty body, so nothing is decoded.
    pub(crate) async fn write<B: Serialize + ?Sized>(
        &self,
        method: Method,
        template: &'static str,
        segments: &[&str],
        body: Option<&B>,
        op: &'static str,
    ) -> Result<psa_rmm_core::http::Response> {
        let url = self.url(segments, &[])?;
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| Error::Config(format!("request body does not serialise: {e}")))?;
        self.call(method, template, url, body, Op::Write(op)).await
    }
}
