//! The `psa_rmm_core::connector` capabilities Datto RMM offers: sites as the customer directory, devices
//! with hardware identity (from the inventory scan), open and resolved alerts, and write-back (the PSA
//! configuration id into a UDF, the warranty date into Datto's warranty field).
//!
//! Device scans are incremental: the connector keeps the scan state, so a second listing audits only
//! devices whose `lastAuditDate` moved.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::{StreamExt, TryStreamExt};
use psa_rmm_core::connector::{
    AlertFeed, CompanyDirectory, ConnectorError, DeviceFieldValue, DeviceFieldWriter,
    DeviceInventory, ErrorKind, RecordStream,
};
use psa_rmm_core::model::{Alert, Company, Device, ExternalRef, Site, System};

use crate::client::Client;
use crate::convert::{alert_to_core, site_to_company, site_to_core};
use crate::error::Error;
use crate::scan::{InventoryDevice, ScanOptions, ScanState};

/// UDF that receives the PSA configuration id unless told otherwise.
pub const DEFAULT_PSA_UDF: u16 = 30;

/// Datto RMM as a connector.
#[derive(Debug, Clone)]
pub struct DattoConnector {
    client: Client,
    psa_udf: u16,
    scan: Arc<Mutex<ScanState>>,
}

impl DattoConnector {
    /// A connector writing the PSA configuration id to UDF [`DEFAULT_PSA_UDF`].
    pub fn new(client: Client) -> Self {
        Self {
            client,
            psa_udf: DEFAULT_PSA_UDF,
            scan: Arc::default(),
        }
    }

    /// Sets the UDF (1..=300) that holds the PSA configuration id.
    #[must_use]
    pub fn psa_udf(mut self, udf: u16) -> Self {
        self.psa_udf = udf;
        self
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn previous_scan(&self) -> ScanState {
        self.scan
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    fn keep_scan(&self, state: ScanState) {
        match self.scan.lock() {
            Ok(mut s) => *s = state,
            Err(poisoned) => *poisoned.into_inner() = state,
        }
    }
}

/// A Datto error as a connector error, keeping it as the source.
pub fn connector_error(error: Error) -> ConnectorError {
    let kind = match &error {
        Error::Http(h) => ErrorKind::of_http(h),
        Error::Auth(_) => ErrorKind::Auth,
        Error::IpBlocked { .. } => ErrorKind::RateLimited,
        Error::Udf(_) | Error::Config(_) => ErrorKind::Rejected,
        _ => ErrorKind::Other,
    };
    let status = error.status().map(|s| s.as_u16());
    let retryable = error.is_retryable();
    let retry_after = error.retry_after();
    ConnectorError::from_source(error, status, retryable)
        .with_kind(kind)
        .with_retry_after(retry_after)
}

/// The core device, with the PSA id read back from the UDF as its sticky link.
fn core_device(entry: &InventoryDevice, psa_udf: u16) -> Result<Device, ConnectorError> {
    let mut device = entry.to_core().map_err(ConnectorError::decode)?;
    device.linked_id = entry
        .device
        .udf
        .get(psa_udf)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    Ok(device)
}

#[async_trait]
impl CompanyDirectory for DattoConnector {
    /// Customer sites as companies (Datto has no company level); system sites are left out.
    async fn companies(&self) -> Result<Vec<Company>, ConnectorError> {
        let sites = self
            .client
            .account()
            .sites()
            .all()
            .await
            .map_err(connector_error)?;
        let mut out = Vec::with_capacity(sites.len());
        for site in &sites {
            out.extend(site_to_company(site).map_err(ConnectorError::decode)?);
        }
        Ok(out)
    }

    async fn sites(&self) -> Result<Vec<Site>, ConnectorError> {
        let sites = self
            .client
            .account()
            .sites()
            .all()
            .await
            .map_err(connector_error)?;
        sites
            .iter()
            .map(|s| site_to_core(s).map_err(ConnectorError::decode))
            .collect()
    }
}

impl DeviceInventory for DattoConnector {
    fn devices(&self) -> RecordStream<Device> {
        let this = self.clone();
        let scan = async move {
            let options = ScanOptions::incremental(this.previous_scan());
            let inventory = this
                .client
                .scan_inventory(options)
                .await
                .map_err(connector_error)?;
            this.keep_scan(inventory.state.clone());
            let devices: Vec<Result<Device, ConnectorError>> = inventory
                .devices
                .iter()
                .map(|d| core_device(d, this.psa_udf))
                .collect();
            Ok::<_, ConnectorError>(futures::stream::iter(devices))
        };
        Box::pin(futures::stream::once(scan).try_flatten())
    }
}

impl AlertFeed for DattoConnector {
    fn open_alerts(&self) -> RecordStream<Alert> {
        let alerts = self.client.account().open_alerts().stream();
        Box::pin(alerts.map(|r| {
            r.map_err(connector_error)
                .and_then(|a| alert_to_core(&a).map_err(ConnectorError::decode))
        }))
    }

    fn resolved_alerts(&self) -> RecordStream<Alert> {
        let alerts = self.client.account().resolved_alerts().stream();
        Box::pin(alerts.map(|r| {
            r.map_err(connector_error)
                .and_then(|a| alert_to_core(&a).map_err(ConnectorError::decode))
        }))
    }
}

#[async_trait]
impl DeviceFieldWriter for DattoConnector {
    async fn write_field(
        &self,
        device: &ExternalRef,
        value: &DeviceFieldValue,
    ) -> Result<(), ConnectorError> {
        let api = self
            .client
            .device(device.id_in(System::DattoRmm, "device")?);
        let result = match value {
            DeviceFieldValue::PsaConfigurationId(id) => api.set_udf(self.psa_udf, id.clone()).await,
            DeviceFieldValue::WarrantyExpires(date) => api.set_warranty(Some(*date)).await,
            other => {
                return Err(ConnectorError::unsupported(format!(
                    "Datto RMM cannot store {other}"
                )));
            }
        };
        result.map_err(connector_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_kind_and_retryability() {
        let e = connector_error(Error::Config("no key".into()));
        assert_eq!(e.kind(), ErrorKind::Rejected);
        assert!(!e.is_retryable());
        assert!(e.to_string().contains("no key"));
    }
}
