//! The `psa_rmm_core::connector` capabilities ConnectWise Asio's platform API offers: companies and sites,
//! devices with hardware identity (the v2 list with the hardware projections), and write-back of the PSA
//! configuration id into an endpoint custom field. The public platform API has no alert feed, so Asio
//! implements no `AlertFeed`.

use async_trait::async_trait;
use futures::{StreamExt, TryStreamExt};
use psa_rmm_core::connector::{
    CompanyDirectory, ConnectorError, DeviceFieldValue, DeviceFieldWriter, DeviceInventory,
    ErrorKind, RecordStream,
};
use psa_rmm_core::model::{Company, Device, ExternalRef, Site, System};

use crate::client::Client;
use crate::convert;
use crate::error::Error;
use crate::model::{AttributeId, CompanyId, CustomFieldValueUpdate, EndpointId, EntityType};
use crate::resources::CustomFieldTarget;

/// The v2 projections that carry serial, MACs, model and OS.
const HARDWARE: [&str; 5] = ["system", "os", "bios", "baseboard", "networks"];
/// Custom-field reads in flight while listing devices. They finish in any order: a read waiting out a
/// retry holds one slot while the others go on, where an ordered buffer stalled the whole listing (1% of
/// faulted reads made a 50,000-device listing 20 times slower).
const FIELD_READS: usize = 8;

/// ConnectWise Asio as a connector.
#[derive(Debug, Clone)]
pub struct AsioConnector {
    client: Client,
    psa_field: Option<AttributeId>,
}

impl AsioConnector {
    /// A connector without write-back.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            psa_field: None,
        }
    }

    /// Enables write-back into the endpoint custom field `id_or_name` (a definition id, or its name such as
    /// "PSA Configuration ID"); devices then carry its value as their sticky link.
    pub async fn with_psa_field(mut self, id_or_name: &str) -> Result<Self, ConnectorError> {
        let definitions = self
            .client
            .custom_fields()
            .definitions(Some(&EntityType::Device))
            .await
            .map_err(connector_error)?;
        let found = definitions.iter().find_map(|d| {
            let id = d.id.as_ref()?;
            let named = d
                .name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(id_or_name.trim()));
            (named || id.as_str() == id_or_name).then(|| id.clone())
        });
        let Some(id) = found else {
            return Err(ConnectorError::new(
                ErrorKind::NotFound,
                format!("Asio has no device custom field {id_or_name:?}; create it first"),
            ));
        };
        self.psa_field = Some(id);
        Ok(self)
    }

    /// True when write-back is enabled.
    pub fn has_psa_field(&self) -> bool {
        self.psa_field.is_some()
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// An Asio error as a connector error, keeping it as the source.
pub fn connector_error(error: Error) -> ConnectorError {
    let kind = match &error {
        Error::Http(h) => ErrorKind::of_http(h),
        Error::KeyLocked { .. } => ErrorKind::RateLimited,
        Error::Config(_) | Error::InvalidInput(_) => ErrorKind::Rejected,
    };
    let status = error.status().map(|s| s.as_u16());
    let retryable = error.is_retryable();
    let retry_after = error.retry_after();
    ConnectorError::from_source(error, status, retryable)
        .with_kind(kind)
        .with_retry_after(retry_after)
}

async fn company_ids(client: &Client) -> Result<Vec<CompanyId>, ConnectorError> {
    let list = client.companies().list().map_err(connector_error)?;
    let companies = list.collect().await.map_err(connector_error)?;
    Ok(companies.into_iter().filter_map(|c| c.id).collect())
}

async fn linked_id(
    client: &Client,
    field: &AttributeId,
    device: &ExternalRef,
) -> Result<Option<String>, ConnectorError> {
    let target = CustomFieldTarget::Endpoint(EndpointId::new(device.id.clone()));
    let values = client
        .custom_fields()
        .values_of(&target, std::slice::from_ref(field))
        .await
        .map_err(connector_error)?;
    Ok(values
        .into_iter()
        .filter(|v| v.attribute_id() == Some(field))
        .find_map(|v| v.value)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty()))
}

#[async_trait]
impl CompanyDirectory for AsioConnector {
    async fn companies(&self) -> Result<Vec<Company>, ConnectorError> {
        let list = self.client.companies().list().map_err(connector_error)?;
        let companies = list.collect().await.map_err(connector_error)?;
        companies
            .iter()
            .map(|c| convert::company(c).map_err(ConnectorError::decode))
            .collect()
    }

    async fn sites(&self) -> Result<Vec<Site>, ConnectorError> {
        let list = self.client.sites().list().map_err(connector_error)?;
        let sites = list.collect().await.map_err(connector_error)?;
        sites
            .iter()
            .map(|s| convert::site(s, None).map_err(ConnectorError::decode))
            .collect()
    }
}

impl DeviceInventory for AsioConnector {
    fn devices(&self) -> RecordStream<Device> {
        let client = self.client.clone();
        let field = self.psa_field.clone();
        let listing = async move {
            let ids = company_ids(&client).await?;
            let devices = client
                .devices()
                .of_companies(ids.iter())
                .fields(HARDWARE)
                .stream()
                .map(|r| {
                    r.map_err(connector_error)
                        .and_then(|e| e.to_device().map_err(ConnectorError::decode))
                });
            let with_links = devices
                .map(move |d| {
                    let client = client.clone();
                    let field = field.clone();
                    async move {
                        let mut device = d?;
                        if let Some(field) = &field {
                            device.linked_id = linked_id(&client, field, &device.external).await?;
                        }
                        Ok::<_, ConnectorError>(device)
                    }
                })
                .buffer_unordered(FIELD_READS);
            Ok::<_, ConnectorError>(with_links)
        };
        Box::pin(futures::stream::once(listing).try_flatten())
    }
}

#[async_trait]
impl DeviceFieldWriter for AsioConnector {
    fn accepts(&self, value: &DeviceFieldValue) -> bool {
        matches!(value, DeviceFieldValue::PsaConfigurationId(_)) && self.psa_field.is_some()
    }

    async fn write_field(
        &self,
        device: &ExternalRef,
        value: &DeviceFieldValue,
    ) -> Result<(), ConnectorError> {
        device.id_in(System::CwAsio, "device")?;
        let DeviceFieldValue::PsaConfigurationId(id) = value else {
            return Err(ConnectorError::unsupported(format!(
                "Asio has no field for {value}"
            )));
        };
        let Some(field) = &self.psa_field else {
            return Err(ConnectorError::unsupported(
                "no PSA custom field configured (AsioConnector::with_psa_field)",
            ));
        };
        let target = CustomFieldTarget::Endpoint(EndpointId::new(device.id.clone()));
        let update = CustomFieldValueUpdate {
            entity_id: device.id.clone(),
            attribute_id: field.clone(),
            value: Some(id.clone()),
        };
        self.client
            .custom_fields()
            .put_values(&target, &[update])
            .await
            .map_err(connector_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_kind_and_retryability() {
        let e = connector_error(Error::InvalidInput("summary too long".into()));
        assert_eq!(e.kind(), ErrorKind::Rejected);
        assert!(!e.is_retryable());
        let locked = connector_error(Error::KeyLocked {
            advice: crate::error::KEY_LOCKED_ADVICE,
            request_id: None,
            retry_after: None,
        });
        assert_eq!(locked.status(), Some(423));
        assert!(!locked.is_retryable());
    }
}
