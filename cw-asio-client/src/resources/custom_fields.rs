//! Custom-field definitions and values (company, site, endpoint).

use crate::client::{Client, Part, decode_or_default};
use crate::error::{Error, Result};
use crate::model::{
    AttributeId, CompanyId, CustomFieldDefinition, CustomFieldValue, CustomFieldValueUpdate,
    EndpointId, EntityType, SiteId,
};
use psa_rmm_core::http::Request;
use url::Url;

/// Most attribute ids one values GET may filter on.
pub const MAX_ATTRIBUTE_IDS: usize = 25;

/// The entity whose custom-field values are read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomFieldTarget {
    /// A company.
    Company(CompanyId),
    /// A site.
    Site(SiteId),
    /// An endpoint (v2 path).
    Endpoint(EndpointId),
}

impl CustomFieldTarget {
    fn id(&self) -> &str {
        match self {
            Self::Company(c) => c.as_str(),
            Self::Site(s) => s.as_str(),
            Self::Endpoint(e) => e.as_str(),
        }
    }
}

/// `/api/platform/v1/custom-field/definitions` and the `.../custom-fields` value calls.
#[derive(Debug, Clone)]
pub struct CustomFields {
    client: Client,
}

impl CustomFields {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Definitions, optionally only those of one entity type.
    pub async fn definitions(
        &self,
        entity: Option<&EntityType>,
    ) -> Result<Vec<CustomFieldDefinition>> {
        let mut url = self
            .client
            .url_segments("/api/platform/v1/custom-field/definitions", &[])?;
        if let Some(e) = entity {
            url.query_pairs_mut().append_pair("entityType", e.as_str());
        }
        decode_or_default(
            &self
                .client
                .send(Request::get(
                    "/api/platform/v1/custom-field/definitions",
                    url,
                ))
                .await?,
        )
    }

    fn values_url(&self, target: &CustomFieldTarget) -> Result<(&'static str, Url)> {
        let (template, base, tail) = match target {
            CustomFieldTarget::Company(_) => (
                "/api/platform/v1/company/companies/{companyId}/custom-fields",
                "/api/platform/v1/company/companies",
                "custom-fields",
            ),
            CustomFieldTarget::Site(_) => (
                "/api/platform/v1/company/sites/{siteId}/custom-fields",
                "/api/platform/v1/company/sites",
                "custom-fields",
            ),
            CustomFieldTarget::Endpoint(_) => (
                "/api/platform/v2/device/endpoints/{endpointID}/custom-fields",
                "/api/platform/v2/device/endpoints",
                "custom-fields",
            ),
        };
        let url = self
            .client
            .url_segments(base, &[Part::Id(target.id()), Part::Fixed(tail)])?;
        Ok((template, url))
    }

    /// Every value of `target`, defaults included.
    pub async fn values(&self, target: &CustomFieldTarget) -> Result<Vec<CustomFieldValue>> {
        let (template, mut url) = self.values_url(target)?;
        url.query_pairs_mut().append_pair("withDefaults", "true");
        decode_or_default(&self.client.send(Request::get(template, url)).await?)
    }

    /// The values of these attributes only (asked 25 at a time, the API's limit).
    pub async fn values_of(
        &self,
        target: &CustomFieldTarget,
        attributes: &[AttributeId],
    ) -> Result<Vec<CustomFieldValue>> {
        let mut out = Vec::new();
        for chunk in attributes.chunks(MAX_ATTRIBUTE_IDS) {
            let (template, mut url) = self.values_url(target)?;
            let ids: Vec<&str> = chunk.iter().map(AttributeId::as_str).collect();
            url.query_pairs_mut()
                .append_pair("attributeIDs", &ids.join(","));
            let page: Vec<CustomFieldValue> =
                decode_or_default(&self.client.send(Request::get(template, url)).await?)?;
            out.extend(page);
        }
        Ok(out)
    }

    /// Writes values (PUT; values are strings whatever the field type). Returns what the API saved.
    pub async fn put_values(
        &self,
        target: &CustomFieldTarget,
        values: &[CustomFieldValueUpdate],
    ) -> Result<Vec<CustomFieldValue>> {
        if let Some(v) = values
            .iter()
            .find(|v| !v.entity_id.eq_ignore_ascii_case(target.id()))
        {
            return Err(Error::InvalidInput(format!(
                "value for attribute {} names entity {}, not {}",
                v.attribute_id,
                v.entity_id,
                target.id()
            )));
        }
        let (template, url) = self.values_url(target)?;
        let resp = self
            .client
            .send(Request::put(template, url).json(values)?)
            .await?;
        decode_or_default(&resp)
    }
}
