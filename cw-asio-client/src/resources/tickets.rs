//! Tickets (v2; pageNum/pageSize paging), notes (v1) and the lookup tables (v1, unpaginated).

use crate::client::{Client, Part, decode, decode_or_default};
use crate::convert::TicketLookups;
use crate::error::{Error, Result};
use crate::model::{
    DESCRIPTION_MAX, LookupItem, NOTE_DETAIL_MAX, NewTicket, NewTicketNote, PatchOp,
    PatchOperation, SUMMARY_MAX, ServiceBoard, Ticket, TicketId, TicketNote, TicketPage,
    TicketStatus,
};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::Stream;
use psa_rmm_core::http::{Page, Request, paginate};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

const TICKETS: &str = "/api/platform/v2/service/ticketing/tickets";
const LOOKUPS: &str = "/api/platform/v1/service/ticketing";
/// Default and largest page size asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// `/api/platform/v2/service/ticketing/tickets` and friends.
#[derive(Debug, Clone)]
pub struct Tickets {
    client: Client,
}

fn check_len(what: &str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if value.trim().is_empty() || n > max {
        return Err(Error::InvalidInput(format!(
            "{what} must be 1 to {max} characters, got {n}"
        )));
    }
    Ok(())
}

impl Tickets {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates a ticket (201). Summary and description lengths are checked first; a create is never
    /// retried once it may have reached the server.
    pub async fn create(&self, ticket: &NewTicket) -> Result<Ticket> {
        check_len("summary", &ticket.summary, SUMMARY_MAX)?;
        check_len("description", &ticket.description, DESCRIPTION_MAX)?;
        let url = self.client.url_segments(TICKETS, &[])?;
        decode(
            &self
                .client
                .send(Request::post(TICKETS, url).json(ticket)?)
                .await?,
        )
    }

    /// One ticket.
    pub async fn get(&self, id: &TicketId) -> Result<Ticket> {
        let url = self
            .client
            .url_segments(TICKETS, &[Part::Id(id.as_str())])?;
        self.client
            .get_json("/api/platform/v2/service/ticketing/tickets/{id}", url)
            .await
    }

    /// Applies a JSON Patch. The API allows only `replace`; anything else is refused before sending.
    pub async fn patch(&self, id: &TicketId, ops: &[PatchOperation]) -> Result<Ticket> {
        if let Some(op) = ops.iter().find(|o| o.op != PatchOp::Replace) {
            return Err(Error::InvalidInput(format!(
                "the ticket API accepts only replace operations, not {} on {}",
                op.op, op.path
            )));
        }
        if ops.is_empty() {
            return self.get(id).await;
        }
        let url = self
            .client
            .url_segments(TICKETS, &[Part::Id(id.as_str())])?;
        let req = Request::patch("/api/platform/v2/service/ticketing/tickets/{id}", url)
            .json(ops)?
            // Replacing with the same values twice gives the same ticket.
            .idempotent(true);
        decode(&self.client.send(req).await?)
    }

    /// A ticket listing; see [`TicketList`].
    pub fn list(&self) -> TicketList {
        TicketList {
            client: self.client.clone(),
            page_size: DEFAULT_PAGE_SIZE,
            params: Vec::new(),
        }
    }

    /// Notes of a ticket.
    pub async fn notes(&self, id: &TicketId) -> Result<Vec<TicketNote>> {
        let url = self.client.url_segments(
            "/api/platform/v1/service/ticketing/tickets",
            &[Part::Id(id.as_str()), Part::Fixed("notes")],
        )?;
        let resp = self
            .client
            .send(Request::get(
                "/api/platform/v1/service/ticketing/tickets/{id}/notes",
                url,
            ))
            .await?;
        decode_or_default(&resp)
    }

    /// Adds a note.
    pub async fn add_note(&self, id: &TicketId, note: &NewTicketNote) -> Result<TicketNote> {
        check_len("note detail", &note.detail, NOTE_DETAIL_MAX)?;
        let url = self.client.url_segments(
            "/api/platform/v1/service/ticketing/tickets",
            &[Part::Id(id.as_str()), Part::Fixed("notes")],
        )?;
        let req = Request::post("/api/platform/v1/service/ticketing/tickets/{id}/notes", url)
            .json(note)?;
        decode(&self.client.send(req).await?)
    }

    async fn table<T: DeserializeOwned>(
        &self,
        name: &'static str,
        template: &'static str,
    ) -> Result<Vec<T>> {
        let url = self.client.url_segments(LOOKUPS, &[Part::Fixed(name)])?;
        decode_or_default(&self.client.send(Request::get(template, url)).await?)
    }

    /// Service boards.
    pub async fn boards(&self) -> Result<Vec<ServiceBoard>> {
        self.table(
            "service-boards",
            "/api/platform/v1/service/ticketing/service-boards",
        )
        .await
    }

    /// Statuses.
    pub async fn statuses(&self) -> Result<Vec<TicketStatus>> {
        self.table("statuses", "/api/platform/v1/service/ticketing/statuses")
            .await
    }

    /// Priorities.
    pub async fn priorities(&self) -> Result<Vec<LookupItem>> {
        self.table(
            "priorities",
            "/api/platform/v1/service/ticketing/priorities",
        )
        .await
    }

    /// Sources.
    pub async fn sources(&self) -> Result<Vec<LookupItem>> {
        self.table("sources", "/api/platform/v1/service/ticketing/sources")
            .await
    }

    /// Ticket types.
    pub async fn types(&self) -> Result<Vec<LookupItem>> {
        self.table("types", "/api/platform/v1/service/ticketing/types")
            .await
    }

    /// Ticket categories.
    pub async fn categories(&self) -> Result<Vec<LookupItem>> {
        self.table(
            "categories",
            "/api/platform/v1/service/ticketing/categories",
        )
        .await
    }

    /// Boards, sources, statuses and priorities at once, for name resolution in [`crate::convert`].
    pub async fn lookups(&self) -> Result<TicketLookups> {
        let (boards, sources, statuses, priorities) = futures::try_join!(
            self.boards(),
            self.sources(),
            self.statuses(),
            self.priorities()
        )?;
        Ok(TicketLookups {
            boards,
            sources,
            statuses,
            priorities,
        })
    }
}

/// A ticket listing paged by `pageNum`/`pageSize` (always sent together; pages start at 1).
#[derive(Debug, Clone)]
pub struct TicketList {
    client: Client,
    page_size: u32,
    params: Vec<(String, String)>,
}

impl TicketList {
    /// Page size (1 to 100).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, DEFAULT_PAGE_SIZE);
        self
    }

    /// A filter or sort parameter as the API names it (`statusNames`, `companyIds`, `sortBy`, ...).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Tickets updated at or after `since` (incremental sync).
    pub fn updated_since(self, since: DateTime<Utc>) -> Self {
        self.param(
            "updatedAtFrom",
            since.to_rfc3339_opts(SecondsFormat::Secs, true),
        )
    }

    /// One page (1-based).
    pub async fn page(&self, number: u32) -> Result<TicketPage> {
        let mut url = self.client.url_segments(TICKETS, &[])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("pageNum", &number.max(1).to_string());
            q.append_pair("pageSize", &self.page_size.to_string());
            for (k, v) in &self.params {
                q.append_pair(k, v);
            }
        }
        match self.client.send(Request::get(TICKETS, url)).await {
            Ok(resp) => decode_or_default(&resp),
            Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(TicketPage::default()),
            Err(e) => Err(e),
        }
    }

    /// Every ticket over all pages; stops at a short or empty page or once `totalCount` is reached.
    pub fn stream(self) -> impl Stream<Item = Result<Ticket>> + Send + 'static {
        let size = u64::from(self.page_size);
        paginate((1u32, 0u64), move |(number, seen)| {
            let list = self.clone();
            async move {
                let page = list.page(number).await?;
                let got = page.tickets.len() as u64;
                let seen = seen + got;
                let total = page.total_count.and_then(|t| u64::try_from(t).ok());
                let more = got == size && total.is_none_or(|t| seen < t);
                Ok(Page::new(page.tickets, more.then_some((number + 1, seen))))
            }
        })
    }
}
