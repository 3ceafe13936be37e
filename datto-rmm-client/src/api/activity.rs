use chrono::{DateTime, SecondsFormat, Utc};
use futures::{Stream, TryStreamExt};
use psa_rmm_core::http::{Page, paginate};
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::ActivityLogsPage;

/// `client.activity_logs()`: a query over `GET /v2/activity-logs`, cursor-paged (`searchAfter` is opaque, so
/// the next page comes from `nextPageUrl`, with any of our filters it dropped put back).
#[derive(Debug, Clone)]
pub struct ActivityLogQuery {
    client: Client,
    query: Vec<(String, String)>,
}

impl ActivityLogQuery {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            query: Vec::new(),
        }
    }

    fn param(mut self, name: &str, value: String) -> Self {
        self.query.push((name.to_owned(), value));
        self
    }

    /// Entries from this instant (default: the last 15 minutes).
    pub fn from(self, at: DateTime<Utc>) -> Self {
        self.param("from", at.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    /// Entries until this instant.
    pub fn until(self, at: DateTime<Utc>) -> Self {
        self.param("until", at.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    /// Entries per page.
    pub fn size(self, size: u32) -> Self {
        self.param("size", size.to_string())
    }

    /// `asc` or `desc`.
    pub fn order(self, order: &str) -> Self {
        self.param("order", order.to_owned())
    }

    /// Any other filter (`entities`, `categories`, `actions`, `siteIds`, `userIds`, `searchQuery`).
    pub fn filter(self, name: &str, value: impl ToString) -> Self {
        self.param(name, value.to_string())
    }

    async fn fetch(&self, url: Url) -> Result<ActivityLogsPage> {
        self.client.get_json("/v2/activity-logs", url).await
    }

    /// The first page.
    pub async fn send(&self) -> Result<ActivityLogsPage> {
        let url = self.client.url(&["activity-logs"], &self.query)?;
        self.fetch(url).await
    }

    /// The next page's URL on our own host, with our filters re-added where `nextPageUrl` dropped them.
    fn next_url(&self, next: &str) -> Result<Url> {
        let given = Url::parse(next)
            .or_else(|_| self.client.api_base().join(next))
            .map_err(|e| Error::Config(format!("bad nextPageUrl {next:?}: {e}")))?;
        let mut pairs: Vec<(String, String)> = given
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (k, v) in &self.query {
            if !pairs.iter().any(|(pk, _)| pk == k) {
                pairs.push((k.clone(), v.clone()));
            }
        }
        self.client.url(&["activity-logs"], &pairs)
    }

    /// Every entry over all pages.
    pub fn stream(self) -> impl Stream<Item = Result<crate::model::ActivityLog>> + Send + 'static {
        let first = match self.client.url(&["activity-logs"], &self.query) {
            Ok(url) => url.to_string(),
            Err(_) => String::new(),
        };
        paginate(first, move |url: String| {
            let query = self.clone();
            async move {
                let url = Url::parse(&url)
                    .map_err(|e| Error::Config(format!("bad activity-log URL: {e}")))?;
                let page = query.fetch(url).await?;
                let next = page
                    .page_details
                    .as_ref()
                    .filter(|d| d.has_next() && !page.activities.is_empty())
                    .and_then(|d| d.next_page_url.as_deref())
                    .map(|n| query.next_url(n).map(|u| u.to_string()))
                    .transpose()?;
                Ok::<_, Error>(Page::new(page.activities, next))
            }
        })
    }

    /// Collects every entry.
    pub async fn all(self) -> Result<Vec<crate::model::ActivityLog>> {
        self.stream().try_collect().await
    }
}
