use crate::budget::op;
use crate::client::Client;
use crate::error::Result;
use crate::ids::VariableId;
use crate::listing::Listing;
use crate::model::{
    Account, AlertsPage, ComponentsPage, DevicesPage, NewVariable, SitesPage, UsersPage,
    VariableUpdate, VariablesPage,
};
use reqwest::Method;

/// `client.account()`.
#[derive(Debug, Clone)]
pub struct AccountApi {
    client: Client,
}

impl AccountApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/account`.
    pub async fn get(&self) -> Result<Account> {
        let url = self.client.url(&["account"], &[])?;
        self.client.get_json("/v2/account", url).await
    }

    /// `GET /v2/account/sites` (filter `siteName`). System sites are included; see `Site::is_system_site`.
    pub fn sites(&self) -> Listing<SitesPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/sites",
            &["account", "sites"],
        )
    }

    /// `GET /v2/account/devices` (filters `filterId`, `hostname`, `deviceType`, `operatingSystem`, `siteName`).
    pub fn devices(&self) -> Listing<DevicesPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/devices",
            &["account", "devices"],
        )
    }

    /// `GET /v2/account/alerts/open` (filter `muted`).
    pub fn open_alerts(&self) -> Listing<AlertsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/alerts/open",
            &["account", "alerts", "open"],
        )
    }

    /// `GET /v2/account/alerts/resolved` (filter `muted`).
    pub fn resolved_alerts(&self) -> Listing<AlertsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/alerts/resolved",
            &["account", "alerts", "resolved"],
        )
    }

    /// `GET /v2/account/variables`.
    pub fn variables(&self) -> Listing<VariablesPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/variables",
            &["account", "variables"],
        )
    }

    /// `GET /v2/account/users`.
    pub fn users(&self) -> Listing<UsersPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/users",
            &["account", "users"],
        )
    }

    /// `GET /v2/account/components`.
    pub fn components(&self) -> Listing<ComponentsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/account/components",
            &["account", "components"],
        )
    }

    /// `PUT /v2/account/variable`.
    pub async fn create_variable(&self, variable: &NewVariable) -> Result<()> {
        self.client
            .write(
                Method::PUT,
                "/v2/account/variable",
                &["account", "variable"],
                Some(variable),
                op::ACCOUNT_VARIABLE_CREATE,
            )
            .await?;
        Ok(())
    }

    /// `POST /v2/account/variable/{id}`.
    pub async fn update_variable(&self, id: VariableId, update: &VariableUpdate) -> Result<()> {
        let id = id.to_string();
        self.client
            .write(
                Method::POST,
                "/v2/account/variable/{id}",
                &["account", "variable", &id],
                Some(update),
                op::ACCOUNT_VARIABLE_UPDATE,
            )
            .await?;
        Ok(())
    }

    /// `DELETE /v2/account/variable/{id}`.
    pub async fn delete_variable(&self, id: VariableId) -> Result<()> {
        let id = id.to_string();
        self.client
            .write::<()>(
                Method::DELETE,
                "/v2/account/variable/{id}",
                &["account", "variable", &id],
                None,
                op::ACCOUNT_VARIABLE_DELETE,
            )
            .await?;
        Ok(())
    }
}
