//! Resource groups of the API, one module per family, and the pagination the list calls share.

mod companies;
mod custom_fields;
mod devices;
mod groups;
mod tickets;

pub use companies::{Companies, LinkList, Sites};
pub use custom_fields::{CustomFieldTarget, CustomFields};
pub use devices::{DeviceList, Devices, ListedEndpoint, V1Scope};
pub use groups::DeviceGroups;
pub use tickets::{TicketList, Tickets};

use crate::client::{Client, decode_or_default};
use crate::error::{Error, Result};
use psa_rmm_core::http::{HttpError, Page, Request, link_next_in};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

/// Most pages one listing follows by default: a safety net against a server whose `Link` never ends
/// (500 x 10,000 items is far beyond any tenant).
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// Counts pages and fails once a listing asks for more than `max`.
pub(crate) fn page_budget(max: u32) -> impl FnMut() -> Result<()> + Send + 'static {
    let mut fetched = 0u32;
    move || {
        fetched += 1;
        if fetched > max {
            return Err(Error::Http(HttpError::Pagination(format!(
                "stopped after {max} pages: the server keeps handing out next links"
            ))));
        }
        Ok(())
    }
}

/// Fetches one page of a `Link rel=next` listing whose body is a bare array. A 404 is an empty last page:
/// the API answers 404 both for "nothing here" and for a page past the end.
pub(crate) async fn link_page<T: DeserializeOwned>(
    client: &Client,
    template: &'static str,
    url: Url,
) -> Result<Page<T, Url>> {
    let resp = match client.send(Request::get(template, url.clone())).await {
        Ok(resp) => resp,
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => {
            return Ok(Page::new(Vec::new(), None));
        }
        Err(e) => return Err(e),
    };
    let items: Vec<T> = decode_or_default(&resp)?;
    let next = next_link(client, resp.headers(), &url)?;
    Ok(Page::new(items, next))
}

/// The `rel="next"` URL; a relative target is resolved against `base`. Refused when it leaves the API's
/// origin (it would receive the bearer token).
pub(crate) fn next_link(
    client: &Client,
    headers: &reqwest::header::HeaderMap,
    base: &Url,
) -> Result<Option<Url>> {
    let next = link_next_in(headers, base);
    match next {
        Some(url) if !client.same_origin(&url) => Err(Error::Http(HttpError::Pagination(format!(
            "the next-page link points at another origin ({})",
            url.origin().ascii_serialization()
        )))),
        other => Ok(other),
    }
}
