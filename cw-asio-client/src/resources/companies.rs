//! Companies and sites: bare arrays paged through `Link rel="next"` with an opaque cursor.

use super::{DEFAULT_MAX_PAGES, link_page, page_budget};
use crate::client::{Client, Part};
use crate::error::Result;
use crate::model::{Company, CompanyId, Site, SiteId};
use futures::Stream;
use psa_rmm_core::http::{Page, paginate};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use url::Url;

/// Page size asked for by default (the largest the API is believed to accept; unverified).
const DEFAULT_LIMIT: u32 = 500;

/// A listing paged through `Link rel="next"`: [`send`](Self::send) gives one page, [`stream`](Self::stream)
/// every item, holding one page at a time. Next-page URLs are followed verbatim.
#[derive(Debug, Clone)]
pub struct LinkList<T> {
    client: Client,
    template: &'static str,
    url: Url,
    limit: u32,
    filter: Option<String>,
    max_pages: u32,
    item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> LinkList<T> {
    fn new(client: Client, template: &'static str, url: Url) -> Self {
        Self {
            client,
            template,
            url,
            limit: DEFAULT_LIMIT,
            filter: None,
            max_pages: DEFAULT_MAX_PAGES,
            item: PhantomData,
        }
    }

    /// Items per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// Most pages to follow before failing with a pagination error (default [`DEFAULT_MAX_PAGES`]).
    pub fn max_pages(mut self, max: u32) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// The API's `filter` expression (syntax undocumented by the vendor).
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    fn first_url(&self) -> Url {
        let mut url = self.url.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &self.limit.to_string());
            if let Some(f) = &self.filter {
                q.append_pair("filter", f);
            }
        }
        url
    }

    /// The first page and the URL of the next one.
    pub async fn send(&self) -> Result<Page<T, Url>> {
        link_page(&self.client, self.template, self.first_url()).await
    }

    /// Every item over all pages; ends at the first error.
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        let first = self.first_url();
        let (client, template) = (self.client, self.template);
        let mut budget = page_budget(self.max_pages);
        paginate(first, move |url| {
            let client = client.clone();
            let allowed = budget();
            async move {
                allowed?;
                link_page::<T>(&client, template, url).await
            }
        })
    }

    /// Every item over all pages, collected.
    pub async fn collect(self) -> Result<Vec<T>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

/// `/api/platform/v1/company/companies`.
#[derive(Debug, Clone)]
pub struct Companies {
    client: Client,
}

impl Companies {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Every company of the partner.
    pub fn list(&self) -> Result<LinkList<Company>> {
        let url = self
            .client
            .url_segments("/api/platform/v1/company/companies", &[])?;
        Ok(LinkList::new(
            self.client.clone(),
            "/api/platform/v1/company/companies",
            url,
        ))
    }

    /// One company.
    pub async fn get(&self, id: &CompanyId) -> Result<Company> {
        let url = self.client.url_segments(
            "/api/platform/v1/company/companies",
            &[Part::Id(id.as_str())],
        )?;
        self.client
            .get_json("/api/platform/v1/company/companies/{companyId}", url)
            .await
    }
}

/// `/api/platform/v1/company/.../sites`.
#[derive(Debug, Clone)]
pub struct Sites {
    client: Client,
}

impl Sites {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The sites of one company.
    pub fn of_company(&self, company: &CompanyId) -> Result<LinkList<Site>> {
        let url = self.client.url_segments(
            "/api/platform/v1/company/companies",
            &[Part::Id(company.as_str()), Part::Fixed("sites")],
        )?;
        Ok(LinkList::new(
            self.client.clone(),
            "/api/platform/v1/company/companies/{companyId}/sites",
            url,
        ))
    }

    /// Every site of the partner (each carries its `company`).
    pub fn list(&self) -> Result<LinkList<Site>> {
        let url = self
            .client
            .url_segments("/api/platform/v1/company/sites", &[])?;
        Ok(LinkList::new(
            self.client.clone(),
            "/api/platform/v1/company/sites",
            url,
        ))
    }

    /// One site.
    pub async fn get(&self, id: &SiteId) -> Result<Site> {
        let url = self
            .client
            .url_segments("/api/platform/v1/company/sites", &[Part::Id(id.as_str())])?;
        self.client
            .get_json("/api/platform/v1/company/sites/{siteId}", url)
            .await
    }
}
