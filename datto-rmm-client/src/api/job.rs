use crate::client::Client;
use crate::error::Result;
use crate::ids::{DeviceUid, JobUid};
use crate::listing::Listing;
use crate::model::{Job, JobComponentsPage, JobResults, JobStdData};

/// `client.jobs()`.
#[derive(Debug, Clone)]
pub struct JobsApi {
    client: Client,
}

impl JobsApi {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /v2/job/{uid}`.
    pub async fn get(&self, job: &JobUid) -> Result<Job> {
        let url = self.client.url(&["job", job.as_str()], &[])?;
        self.client.get_json("/v2/job/{uid}", url).await
    }

    /// `GET /v2/job/{uid}/components`.
    pub fn components(&self, job: &JobUid) -> Listing<JobComponentsPage> {
        Listing::new(
            self.client.clone(),
            "/v2/job/{uid}/components",
            &["job", job.as_str(), "components"],
        )
    }

    /// `GET /v2/job/{uid}/results/{deviceUid}`.
    pub async fn results(&self, job: &JobUid, device: &DeviceUid) -> Result<JobResults> {
        let url = self
            .client
            .url(&["job", job.as_str(), "results", device.as_str()], &[])?;
        self.client
            .get_json("/v2/job/{uid}/results/{deviceUid}", url)
            .await
    }

    /// `GET /v2/job/{uid}/results/{deviceUid}/stdout`.
    pub async fn stdout(&self, job: &JobUid, device: &DeviceUid) -> Result<Vec<JobStdData>> {
        let url = self.client.url(
            &["job", job.as_str(), "results", device.as_str(), "stdout"],
            &[],
        )?;
        self.client
            .get_json("/v2/job/{uid}/results/{deviceUid}/stdout", url)
            .await
    }

    /// `GET /v2/job/{uid}/results/{deviceUid}/stderr`.
    pub async fn stderr(&self, job: &JobUid, device: &DeviceUid) -> Result<Vec<JobStdData>> {
        let url = self.client.url(
            &["job", job.as_str(), "results", device.as_str(), "stderr"],
            &[],
        )?;
        self.client
            .get_json("/v2/job/{uid}/results/{deviceUid}/stderr", url)
            .await
    }
}
