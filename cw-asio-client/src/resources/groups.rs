//! Device groups and membership.

use crate::client::{Client, Part, decode_or_default};
use crate::error::Result;
use crate::model::{DeviceGroup, DeviceGroupId, EndpointId};
use psa_rmm_core::http::Request;
use url::Url;

/// `/api/platform/v1/device-groups` and the v2 membership calls.
#[derive(Debug, Clone)]
pub struct DeviceGroups {
    client: Client,
}

impl DeviceGroups {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Every device group (not paginated).
    pub async fn list(&self) -> Result<Vec<DeviceGroup>> {
        let url = self
            .client
            .url_segments("/api/platform/v1/device-groups", &[])?;
        self.array("/api/platform/v1/device-groups", url).await
    }

    /// Endpoint ids of one group.
    pub async fn endpoints(&self, group: &DeviceGroupId) -> Result<Vec<EndpointId>> {
        let url = self.client.url_segments(
            "/api/platform/v2/device-groups",
            &[Part::Id(group.as_str()), Part::Fixed("endpoints")],
        )?;
        self.array(
            "/api/platform/v2/device-groups/{deviceGroupId}/endpoints",
            url,
        )
        .await
    }

    /// Group ids one endpoint belongs to.
    pub async fn of_endpoint(&self, endpoint: &EndpointId) -> Result<Vec<DeviceGroupId>> {
        let url = self.client.url_segments(
            "/api/platform/v2/managed-endpoints",
            &[Part::Id(endpoint.as_str()), Part::Fixed("device-groups")],
        )?;
        self.array(
            "/api/platform/v2/managed-endpoints/{endpointId}/device-groups",
            url,
        )
        .await
    }

    async fn array<T: serde::de::DeserializeOwned>(
        &self,
        template: &'static str,
        url: Url,
    ) -> Result<Vec<T>> {
        decode_or_default(&self.client.send(Request::get(template, url)).await?)
    }
}
