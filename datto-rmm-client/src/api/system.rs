use crate::budget::Budgets;
use crate::client::Client;
use crate::error::Result;
use crate::model::{PaginationConfiguration, RateStatus, SystemStatus};

/// `client.system()`.
#[derive(Debug, Clone)]
pub struct SystemApi {
    client: Client,
}

impl SystemApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/system/status`: a cheap connectivity check.
    pub async fn status(&self) -> Result<SystemStatus> {
        let url = self.client.url(&["system", "status"], &[])?;
        self.client.get_json("/v2/system/status", url).await
    }

    /// `GET /v2/system/request_rate`: the account's live budgets and usage.
    pub async fn request_rate(&self) -> Result<RateStatus> {
        let url = self.client.url(&["system", "request_rate"], &[])?;
        self.client.get_json("/v2/system/request_rate", url).await
    }

    /// `GET /v2/system/pagination`: the server's page size.
    pub async fn pagination(&self) -> Result<PaginationConfiguration> {
        let url = self.client.url(&["system", "pagination"], &[])?;
        self.client.get_json("/v2/system/pagination", url).await
    }
}

impl Client {
    /// Reads `/system/request_rate` and paces to the limits it reports (legacy single-bucket accounts
    /// included). Returns the status read.
    pub async fn sync_rate_limits(&self) -> Result<RateStatus> {
        let status = self.system().request_rate().await?;
        let budgets: Budgets = self.budgets().adapted_to(&status);
        self.set_budgets(budgets);
        Ok(status)
    }

    /// Reads `/system/pagination` and uses its `max` (capped at 250) as the page size. Returns the size used.
    pub async fn sync_page_size(&self) -> Result<u32> {
        let config = self.system().pagination().await?;
        if let Some(max) = config
            .max
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m > 0)
        {
            self.set_page_size(max.min(250));
        }
        Ok(self.page_size())
    }
}
