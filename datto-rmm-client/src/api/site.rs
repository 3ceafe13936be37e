use reqwest::Method;

use crate::budget::op;
use crate::client::Client;
use crate::error::Result;
use crate::ids::{SiteUid, VariableId};
use crate::listing::Listing;
use crate::model::{
    AlertsPage, CreateSiteRequest, DevicesNetworkInterfacePage, DevicesPage, NewVariable, Site,
    SiteSettings, UpdateSiteRequest, VariableUpdate, VariablesPage,
};

/// A single site, bare or wrapped. Every `Site` field is optional, so the wrapper must be tried first.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneSite {
    Wrapped { site: Site },
    Bare(Site),
}

/// `client.sites()`.
#[derive(Debug, Clone)]
pub struct SitesApi {
    client: Client,
}

impl SitesApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `PUT /v2/site`: creates a site and returns it.
    pub async fn create(&self, site: &CreateSiteRequest) -> Result<Site> {
        let resp = self
            .client
            .write(
                Method::PUT,
                "/v2/site",
                &["site"],
                Some(site),
                op::SITE_CREATE,
            )
            .await?;
        Ok(resp.json()?)
    }
}

/// `client.site(uid)`.
#[derive(Debug, Clone)]
pub struct SiteApi {
    client: Client,
    uid: SiteUid,
}

impl SiteApi {
    pub(crate) fn new(client: Client, uid: SiteUid) -> Self {
        Self { client, uid }
    }

    fn listing<P>(&self, template: &'static str, tail: &[&str]) -> Listing<P>
    where
        P: crate::model::DattoPage + serde::de::DeserializeOwned + Send + 'static,
        P::Item: Send + 'static,
    {
        let mut segments = vec!["site", self.uid.as_str()];
        segments.extend_from_slice(tail);
        Listing::new(self.client.clone(), template, &segments)
    }

    /// `GET /v2/site/{uid}`: the site comes back bare per the spec; a `{"site": {...}}` wrapper, which a
    /// client broke on, is unwrapped too.
    pub async fn get(&self) -> Result<Site> {
        let url = self.client.url(&["site", self.uid.as_str()], &[])?;
        let body: OneSite = self.client.get_json("/v2/site/{uid}", url).await?;
        Ok(match body {
            OneSite::Wrapped { site } => site,
            OneSite::Bare(site) => site,
        })
    }

    /// `POST /v2/site/{uid}`: updates the site (the name is required) and returns it.
    pub async fn update(&self, update: &UpdateSiteRequest) -> Result<Site> {
        let resp = self
            .client
            .write(
                Method::POST,
                "/v2/site/{uid}",
                &["site", self.uid.as_str()],
                Some(update),
                op::SITE_UPDATE,
            )
            .await?;
        Ok(resp.json()?)
    }

    /// `GET /v2/site/{uid}/devices` (filter `filterId`).
    pub fn devices(&self) -> Listing<DevicesPage> {
        self.listing("/v2/site/{uid}/devices", &["devices"])
    }

    /// `GET /v2/site/{uid}/devices/network-interface`: NICs and MACs of up to 250 devices per read.
    pub fn network_interfaces(&self) -> Listing<DevicesNetworkInterfacePage> {
        self.listing(
            "/v2/site/{uid}/devices/network-interface",
            &["devices", "network-interface"],
        )
    }

    /// `GET /v2/site/{uid}/alerts/open`.
    pub fn open_alerts(&self) -> Listing<AlertsPage> {
        self.listing("/v2/site/{uid}/alerts/open", &["alerts", "open"])
    }

    /// `GET /v2/site/{uid}/alerts/resolved`.
    pub fn resolved_alerts(&self) -> Listing<AlertsPage> {
        self.listing("/v2/site/{uid}/alerts/resolved", &["alerts", "resolved"])
    }

    /// `GET /v2/site/{uid}/variables`.
    pub fn variables(&self) -> Listing<VariablesPage> {
        self.listing("/v2/site/{uid}/variables", &["variables"])
    }

    /// `GET /v2/site/{uid}/settings`.
    pub async fn settings(&self) -> Result<SiteSettings> {
        let url = self
            .client
            .url(&["site", self.uid.as_str(), "settings"], &[])?;
        self.client.get_json("/v2/site/{uid}/settings", url).await
    }

    /// `PUT /v2/site/{uid}/variable`.
    pub async fn create_variable(&self, variable: &NewVariable) -> Result<()> {
        self.client
            .write(
                Method::PUT,
                "/v2/site/{uid}/variable",
                &["site", self.uid.as_str(), "variable"],
                Some(variable),
                op::SITE_VARIABLE_CREATE,
            )
            .await?;
        Ok(())
    }

    /// `POST /v2/site/{uid}/variable/{id}`.
    pub async fn update_variable(&self, id: VariableId, update: &VariableUpdate) -> Result<()> {
        let id = id.to_string();
        self.client
            .write(
                Method::POST,
                "/v2/site/{uid}/variable/{id}",
                &["site", self.uid.as_str(), "variable", &id],
                Some(update),
                op::SITE_VARIABLE_UPDATE,
            )
            .await?;
        Ok(())
    }

    /// `DELETE /v2/site/{uid}/variable/{id}`.
    pub async fn delete_variable(&self, id: VariableId) -> Result<()> {
        let id = id.to_string();
        self.client
            .write::<()>(
                Method::DELETE,
                "/v2/site/{uid}/variable/{id}",
                &["site", self.uid.as_str(), "variable", &id],
                None,
                op::SITE_VARIABLE_DELETE,
            )
            .await?;
        Ok(())
    }
}
