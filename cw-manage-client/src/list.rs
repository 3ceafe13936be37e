//! Listing: one page (`send`) or every record as a stream (`stream`), with Manage's two paging styles.
//!
//! Unordered listings page forward-only (`pagination-type: forward-only`, `pageId` = last id seen),
//! which stays correct while records are inserted and costs the server nothing at depth. A query with
//! `orderBy` pages by number (`page`), following the `Link` header. A query whose URL would pass 2000
//! characters goes to `POST .../search` where the resource has one.

use std::marker::PhantomData;

use futures::Stream;
use psa_rmm_core::http::{Page, link_next, paginate, paginate_pages};
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::client::{Call, Client, MAX_URL_LEN, decode};
use crate::conditions::Query;
use crate::error::Error;

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// Forward-only: records with an id above this one.
    PageId(i64),
    /// Navigable: this 1-based page number.
    Page(u32),
}

/// A record with a numeric id (what forward-only paging continues from).
pub trait Record {
    /// The record's id.
    fn record_id(&self) -> i64;
}

/// A record reduced to its id (`fields=id`), for deletion scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub struct IdOnly {
    /// The id.
    #[serde(deserialize_with = "psa_rmm_core::wire::i64_required")]
    pub id: i64,
}

impl Record for IdOnly {
    fn record_id(&self) -> i64 {
        self.id
    }
}

/// A list request: [`send`](Self::send) for one page, [`stream`](Self::stream) for all records.
pub struct ListRequest<T> {
    client: Client,
    path: String,
    template: &'static str,
    query: Query,
    search: bool,
    headers: Vec<(HeaderName, HeaderValue)>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for ListRequest<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            path: self.path.clone(),
            template: self.template,
            query: self.query.clone(),
            search: self.search,
            headers: self.headers.clone(),
            _t: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListRequest")
            .field("path", &self.path)
            .field("template", &self.template)
            .field("query", &self.query)
            .field("search", &self.search)
            .finish_non_exhaustive()
    }
}

impl<T> ListRequest<T>
where
    T: DeserializeOwned + Record + Send + 'static,
{
    pub(crate) fn new(
        client: Client,
        path: String,
        template: &'static str,
        query: Query,
        search: bool,
    ) -> Self {
        Self {
            client,
            path,
            template,
            query,
            search,
            headers: Vec::new(),
            _t: PhantomData,
        }
    }

    pub(crate) fn with_headers(mut self, headers: Vec<(HeaderName, HeaderValue)>) -> Self {
        self.headers = headers;
        self
    }

    /// The query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The first page.
    pub async fn send(&self) -> Result<Page<T, Cursor>, Error> {
        self.page(None).await
    }

    /// The page at `cursor` (`None`: the first page).
    pub async fn page(&self, cursor: Option<Cursor>) -> Result<Page<T, Cursor>, Error> {
        fetch_page(self, cursor).await
    }

    fn first(&self) -> Option<Cursor> {
        if self.query.is_ordered() {
            Some(Cursor::Page(1))
        } else {
            None
        }
    }

    /// Every page as a stream of record batches; one page in memory at a time.
    pub fn pages(self) -> impl Stream<Item = Result<Vec<T>, Error>> + Send + 'static {
        let first = self.first();
        paginate_pages(first, move |cursor| {
            let me = self.clone();
            async move {
                me.page(cursor)
                    .await
                    .map(|p| Page::new(p.items, p.next.map(Some)))
            }
        })
    }

    /// Every record as a stream; one page in memory at a time, stops at the first error.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        let first = self.first();
        paginate(first, move |cursor| {
            let me = self.clone();
            async move {
                me.page(cursor)
                    .await
                    .map(|p| Page::new(p.items, p.next.map(Some)))
            }
        })
    }
}

fn cursor_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

async fn fetch_page<T: DeserializeOwned + Record>(
    req: &ListRequest<T>,
    cursor: Option<Cursor>,
) -> Result<Page<T, Cursor>, Error> {
    let (client, path, template, query, search) = (
        &req.client,
        req.path.as_str(),
        req.template,
        &req.query,
        req.search,
    );
    let ordered = query.is_ordered();
    let mut paging: Vec<(&'static str, String)> = Vec::new();
    match (ordered, cursor) {
        (true, c) => {
            let n = match c {
                Some(Cursor::Page(n)) => n,
                _ => 1,
            };
            paging.push(("page", n.to_string()));
        }
        (false, Some(Cursor::PageId(id))) => paging.push(("pageId", id.to_string())),
        (false, _) => {}
    }
    let mut call = Call::new(Method::GET, template, path.to_owned());
    call.query = query.params()?;
    call.query.extend(paging.iter().cloned());
    call.headers.extend(req.headers.iter().cloned());
    if !ordered {
        call.headers.push((
            HeaderName::from_static("pagination-type"),
            HeaderValue::from_static("forward-only"),
        ));
    }
    let len = client.url_of(&call).await?.as_str().len();
    if len > MAX_URL_LEN {
        if !search {
            return Err(Error::QueryTooLong {
                resource: path.to_owned(),
                len,
            });
        }
        call.method = Method::POST;
        call.template = format!("{template}/search").into();
        call.path = format!("{path}/search");
        call.query = query.search_url_params()?;
        call.query.extend(paging);
        call.body = Some(
            serde_json::to_vec(&query.search_body()?)
                .map_err(|e| Error::Config(format!("search body does not serialize: {e}")))?,
        );
        // A search only reads: repeating it is safe.
        call.idempotent = Some(true);
    }
    let resp = client.execute(call).await?;
    let items: Vec<T> = decode(&resp)?;
    let link = link_next(resp.headers());
    let has_link = resp.headers().contains_key(reqwest::header::LINK);
    let full = items.len() >= query.get_page_size() as usize;
    let next = if items.is_empty() {
        None
    } else if ordered {
        let current = match cursor {
            Some(Cursor::Page(n)) => n,
            _ => 1,
        };
        match link {
            Some(u) => cursor_param(&u, "page")
                .and_then(|p| p.parse().ok())
                .or(Some(current + 1))
                .map(Cursor::Page),
            None if !has_link && full => Some(Cursor::Page(current + 1)),
            None => None,
        }
    } else {
        let last = items.last().map(Record::record_id);
        match link {
            Some(u) => cursor_param(&u, "pageId")
                .and_then(|p| p.parse().ok())
                .or(last)
                .map(Cursor::PageId),
            // No Link header at all: an endpoint that ignores forward-only; continue while pages are full.
            None if !has_link && full => last.map(Cursor::PageId),
            None => None,
        }
    };
    Ok(Page::new(items, next))
}
