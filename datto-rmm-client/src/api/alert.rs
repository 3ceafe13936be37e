use reqwest::Method;

use crate::budget::op;
use crate::client::Client;
use crate::error::Result;
use crate::ids::AlertUid;
use crate::model::Alert;

/// `client.alerts()`.
#[derive(Debug, Clone)]
pub struct AlertsApi {
    client: Client,
}

impl AlertsApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/alert/{uid}`.
    pub async fn get(&self, uid: &AlertUid) -> Result<Alert> {
        let url = self.client.url(&["alert", uid.as_str()], &[])?;
        self.client.get_json("/v2/alert/{uid}", url).await
    }

    /// `POST /v2/alert/{uid}/resolve` (empty body both ways).
    pub async fn resolve(&self, uid: &AlertUid) -> Result<()> {
        self.client
            .write::<()>(
                Method::POST,
                "/v2/alert/{uid}/resolve",
                &["alert", uid.as_str(), "resolve"],
                None,
                op::ALERT_RESOLVE,
            )
            .await?;
        Ok(())
    }
}
