use chrono::NaiveDate;
use reqwest::Method;
use serde::Deserialize;

use crate::budget::op;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::ids::{DeviceId, DeviceUid, SiteUid};
use crate::listing::Listing;
use crate::model::{
    AlertsPage, CreateQuickJobRequest, CreateQuickJobResponse, Device, DevicesPage, UdfUpdate,
};

/// A MAC in the form Datto's lookups take: 12 upper-case hex digits, separators (`:`, `-`, `.`) removed.
pub fn normalise_mac(mac: &str) -> Result<String> {
    let hex: String = mac
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(Error::Config(format!("{mac:?} is not a MAC address")))
    }
}

/// The MAC lookups answer a bare array per the spec; some builds wrap it in a page envelope.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum ArrayOrPage<T, P> {
    Array(Vec<T>),
    Page(P),
}

/// `client.devices()`.
#[derive(Debug, Clone)]
pub struct DevicesApi {
    client: Client,
}

impl DevicesApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/device/id/{id}`.
    pub async fn get_by_id(&self, id: DeviceId) -> Result<Device> {
        let id = id.to_string();
        let url = self.client.url(&["device", "id", &id], &[])?;
        self.client.get_json("/v2/device/id/{id}", url).await
    }

    /// `GET /v2/device/macAddress/{mac}`: zero, one or several devices share a MAC.
    pub async fn by_mac(&self, mac: &str) -> Result<Vec<Device>> {
        let mac = normalise_mac(mac)?;
        let url = self.client.url(&["device", "macAddress", &mac], &[])?;
        let found: ArrayOrPage<Device, DevicesPage> = self
            .client
            .get_json("/v2/device/macAddress/{mac}", url)
            .await?;
        Ok(match found {
            ArrayOrPage::Array(v) => v,
            ArrayOrPage::Page(p) => p.devices,
        })
    }
}

/// `client.device(uid)`.
#[derive(Debug, Clone)]
pub struct DeviceApi {
    client: Client,
    uid: DeviceUid,
}

impl DeviceApi {
    pub(crate) fn new(client: Client, uid: DeviceUid) -> Self {
        Self { client, uid }
    }

    /// `GET /v2/device/{uid}`.
    pub async fn get(&self) -> Result<Device> {
        let url = self.client.url(&["device", self.uid.as_str()], &[])?;
        self.client.get_json("/v2/device/{uid}", url).await
    }

    /// `GET /v2/device/{uid}/alerts/open`.
    pub fn open_alerts(&self) -> Listing<AlertsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/device/{uid}/alerts/open",
            &["device", self.uid.as_str(), "alerts", "open"],
        )
    }

    /// `GET /v2/device/{uid}/alerts/resolved`.
    pub fn resolved_alerts(&self) -> Listing<AlertsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/device/{uid}/alerts/resolved",
            &["device", self.uid.as_str(), "alerts", "resolved"],
        )
    }

    /// `POST /v2/device/{uid}/udf`: writes only the UDFs in `update` (an empty value clears one). An empty
    /// update sends nothing.
    pub async fn set_udfs(&self, update: &UdfUpdate) -> Result<()> {
        if update.is_empty() {
            return Ok(());
        }
        self.client
            .write(
                Method::POST,
                "/v2/device/{uid}/udf",
                &["device", self.uid.as_str(), "udf"],
                Some(update),
                op::DEVICE_UDF_SET,
            )
            .await?;
        Ok(())
    }

    /// Sets one UDF; the value is checked (1..=300, at most 255 characters) before anything is sent.
    pub async fn set_udf(&self, index: u16, value: impl Into<String>) -> Result<()> {
        self.set_udfs(&UdfUpdate::new().set(index, value)?).await
    }

    /// `PUT /v2/device/{uid}/site/{siteUid}`: moves the device to another site.
    pub async fn move_to_site(&self, site: &SiteUid) -> Result<()> {
        self.client
            .write::<()>(
                Method::PUT,
                "/v2/device/{uid}/site/{siteUid}",
                &["device", self.uid.as_str(), "site", site.as_str()],
                None,
                op::DEVICE_MOVE,
            )
            .await?;
        Ok(())
    }

    /// `POST /v2/device/{uid}/warranty`: sets (or with `None` clears) the warranty end date.
    pub async fn set_warranty(&self, date: Option<NaiveDate>) -> Result<()> {
        let body =
            serde_json::json!({ "warrantyDate": date.map(|d| d.format("%Y-%m-%d").to_string()) });
        self.client
            .write(
                Method::POST,
                "/v2/device/{uid}/warranty",
                &["device", self.uid.as_str(), "warranty"],
                Some(&body),
                op::DEVICE_WARRANTY,
            )
            .await?;
        Ok(())
    }

    /// `PUT /v2/device/{uid}/quickjob`: runs a component on the device (online agents only).
    pub async fn quick_job(&self, job: &CreateQuickJobRequest) -> Result<CreateQuickJobResponse> {
        let resp = self
            .client
            .write(
                Method::PUT,
                "/v2/device/{uid}/quickjob",
                &["device", self.uid.as_str(), "quickjob"],
                Some(job),
                op::DEVICE_JOB_CREATE,
            )
            .await?;
        Ok(resp.json()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_normalise_to_bare_upper_hex() {
        for raw in [
            "00:1a:2b:3c:4d:5e",
            "00-1A-2B-3C-4D-5E",
            "001a.2b3c.4d5e",
            "001A2B3C4D5E",
        ] {
            assert_eq!(normalise_mac(raw).unwrap(), "001A2B3C4D5E");
        }
        assert!(normalise_mac("00:1a:2b").is_err());
        assert!(normalise_mac("zz:1a:2b:3c:4d:5e").is_err());
    }
}
