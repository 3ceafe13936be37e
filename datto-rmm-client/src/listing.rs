//! Paged list calls: pages from 0, `max` items each, the next page's URL built by the client (Datto's
//! `nextPageUrl` has been seen to drop filters) and used only as the "more pages?" signal.

use std::marker::PhantomData;

use futures::{Stream, TryStreamExt};
use psa_rmm_core::http::{Page, paginate};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::DattoPage;

/// A list endpoint with its filters. [`page`](Self::page) fetches one page, [`stream`](Self::stream) every
/// item over all pages holding one page in memory, [`all`](Self::all) collects them.
pub struct Listing<P> {
    client: Client,
    template: &'static str,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    page_size: Option<u32>,
    _page: PhantomData<fn() -> P>,
}

impl<P> Clone for Listing<P> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            template: self.template,
            segments: self.segments.clone(),
            query: self.query.clone(),
            page_size: self.page_size,
            _page: PhantomData,
        }
    }
}

impl<P> std::fmt::Debug for Listing<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("template", &self.template)
            .field("segments", &self.segments)
            .field("query", &self.query)
            .field("page_size", &self.page_size)
            .finish()
    }
}

impl<P> Listing<P>
where
    P: DattoPage + DeserializeOwned + Send + 'static,
    P::Item: Send + 'static,
{
    pub(crate) fn new(client: Client, template: &'static str, segments: &[&str]) -> Self {
        Self {
            client,
            template,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            page_size: None,
            _page: PhantomData,
        }
    }

    /// Adds a query filter (e.g. `hostname`, `siteName`, `filterId`, `muted`); kept on every page.
    pub fn filter(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Items per page for this listing (default: the client's page size).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// Fetches page `page` (0-based).
    pub async fn page(&self, page: u32) -> Result<P> {
        let max = self.page_size.unwrap_or_else(|| self.client.page_size());
        let mut query = self.query.clone();
        query.push(("page".into(), page.to_string()));
        query.push(("max".into(), max.to_string()));
        let segments: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        let url = self.client.url(&segments, &query)?;
        self.client.get_json(self.template, url).await
    }

    /// Every item over all pages. Ends at a null, empty or missing `nextPageUrl`, or an empty page.
    pub fn stream(self) -> impl Stream<Item = Result<P::Item>> + Send + 'static {
        paginate(0u32, move |n| {
            let listing = self.clone();
            async move {
                let page = listing.page(n).await?;
                let more = page.has_next();
                let items = page.into_items();
                let next = (more && !items.is_empty()).then_some(n + 1);
                Ok::<_, Error>(Page::new(items, next))
            }
        })
    }

    /// Collects every item.
    pub async fn all(self) -> Result<Vec<P::Item>> {
        self.stream().try_collect().await
    }
}
