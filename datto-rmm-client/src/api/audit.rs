use crate::api::device::{ArrayOrPage, normalise_mac};
use crate::client::Client;
use crate::error::Result;
use crate::ids::DeviceUid;
use crate::listing::Listing;
use crate::model::{
    AuditKind, Device, DeviceAudit, DeviceClass, EsxiHostAudit, PrinterAudit, SoftwarePage,
};

/// `client.audits()`.
#[derive(Debug, Clone)]
pub struct AuditsApi {
    client: Client,
}

/// The MAC audit lookup, either shape.
#[derive(serde::Deserialize)]
struct AuditsPage {
    #[serde(default, alias = "audits")]
    devices: Vec<DeviceAudit>,
}

impl AuditsApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/audit/device/{uid}`: hardware audit of an agent device (class `device` only).
    pub async fn device(&self, uid: &DeviceUid) -> Result<DeviceAudit> {
        let url = self.client.url(&["audit", "device", uid.as_str()], &[])?;
        self.client.get_json("/v2/audit/device/{uid}", url).await
    }

    /// `GET /v2/audit/esxihost/{uid}` (class `esxihost` only).
    pub async fn esxi_host(&self, uid: &DeviceUid) -> Result<EsxiHostAudit> {
        let url = self.client.url(&["audit", "esxihost", uid.as_str()], &[])?;
        self.client.get_json("/v2/audit/esxihost/{uid}", url).await
    }

    /// `GET /v2/audit/printer/{uid}` (class `printer` only).
    pub async fn printer(&self, uid: &DeviceUid) -> Result<PrinterAudit> {
        let url = self.client.url(&["audit", "printer", uid.as_str()], &[])?;
        self.client.get_json("/v2/audit/printer/{uid}", url).await
    }

    /// `GET /v2/audit/device/{uid}/software`.
    pub fn software(&self, uid: &DeviceUid) -> Listing<SoftwarePage> {
        Listing::new(
            self.client.clone(),
            "/v2/audit/device/{uid}/software",
            &["audit", "device", uid.as_str(), "software"],
        )
    }

    /// `GET /v2/audit/device/macAddress/{mac}`.
    pub async fn by_mac(&self, mac: &str) -> Result<Vec<DeviceAudit>> {
        let mac = normalise_mac(mac)?;
        let url = self
            .client
            .url(&["audit", "device", "macAddress", &mac], &[])?;
        let found: ArrayOrPage<DeviceAudit, AuditsPage> = self
            .client
            .get_json("/v2/audit/device/macAddress/{mac}", url)
            .await?;
        Ok(match found {
            ArrayOrPage::Array(v) => v,
            ArrayOrPage::Page(p) => p.devices,
        })
    }

    /// The audit matching the device's class (a wrong endpoint answers 400); `None` for classes without
    /// one (`rmmnetworkdevice`, `unknown`) and for a device without a UID. A missing class is treated as an
    /// agent device.
    pub async fn for_device(&self, device: &Device) -> Result<Option<AuditKind>> {
        let Some(uid) = &device.uid else {
            return Ok(None);
        };
        Ok(match device.device_class.as_ref() {
            None | Some(DeviceClass::Device) => Some(AuditKind::Device(self.device(uid).await?)),
            Some(DeviceClass::EsxiHost) => Some(AuditKind::EsxiHost(self.esxi_host(uid).await?)),
            Some(DeviceClass::Printer) => Some(AuditKind::Printer(self.printer(uid).await?)),
            Some(_) => None,
        })
    }
}
