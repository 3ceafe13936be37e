//! Operations built from several calls: closing tickets, opportunity write-back, idempotent callback
//! registration, and company filters with their discovery and preview.

use chrono::{DateTime, Utc};
use futures::TryStreamExt;

use crate::client::Client;
use crate::conditions::{Condition, Query, field};
use crate::error::Error;
use crate::ids::{
    CompanyStatusId, CompanyTypeId, ContactId, LocationId, MarketId, OpportunityId, StatusId,
    TicketId,
};
use crate::model::{
    BoardStatus, CallbackEntry, CompanyStatus, CompanyType, Market, Opportunity, Reference,
    Territory, Ticket,
};
use crate::patch::Patch;

/// The closed status a ticket would move to: an active status with `closedStatus`, lowest sort order.
pub fn pick_closed_status(statuses: &[BoardStatus]) -> Option<&BoardStatus> {
    statuses
        .iter()
        .filter(|s| s.closed_status == Some(true) && s.inactive != Some(true))
        .min_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id))
}

impl Client {
    /// Closes a ticket: moves it to a closed status of its board (the first by sort order), then reads
    /// it back. A PATCH answered 200 without applying, or a read-back that disagrees, is
    /// [`Error::NotApplied`]. A ticket already closed is returned unchanged.
    pub async fn close_ticket(&self, id: TicketId) -> Result<Ticket, Error> {
        let ticket = self.tickets().get(id).await?;
        if ticket.closed_flag == Some(true) {
            return Ok(ticket);
        }
        let board = ticket
            .board
            .as_ref()
            .and_then(|b| b.id)
            .ok_or_else(|| Error::Incomplete(format!("ticket {id} has no board id")))?;
        let statuses: Vec<BoardStatus> = self
            .board_statuses(board)
            .all()
            .stream()
            .try_collect()
            .await?;
        let target = pick_closed_status(&statuses)
            .map(|s| s.id)
            .ok_or(Error::NoClosedStatus { board: board.get() })?;
        self.close_ticket_with_status(id, target).await
    }

    /// Moves a ticket to `status` (a closed status of its board) and verifies it by reading it back.
    pub async fn close_ticket_with_status(
        &self,
        id: TicketId,
        status: StatusId,
    ) -> Result<Ticket, Error> {
        let patch = Patch::new().replace_ref("status", &Reference::by_id(status));
        self.tickets().update_verified(id, &patch).await
    }

    /// Writes back the opportunity fields a quoting tool changes (probability, stage, expected close date,
    /// contact) and verifies the result by reading it back.
    pub async fn update_opportunity(
        &self,
        id: OpportunityId,
        update: &OpportunityUpdate,
    ) -> Result<Opportunity, Error> {
        self.opportunities()
            .update_verified(id, &update.to_patch())
            .await
    }

    /// Registers a callback unless the same registration (type, level, object, URL) exists: lists first,
    /// re-activates a disabled match, and treats Manage's `ObjectExists` answer as success.
    pub async fn register_callback(&self, entry: &CallbackEntry) -> Result<CallbackEntry, Error> {
        if let Some(existing) = self.find_callback(entry).await? {
            if existing.inactive_flag == Some(true) {
                let patch = Patch::new().replace("inactiveFlag", false);
                return self.callbacks_update(existing, &patch).await;
            }
            return Ok(existing);
        }
        match self.callbacks().create(entry).await {
            Ok(created) => Ok(created),
            Err(e) if e.error_body().is_some_and(|b| b.is_object_exists()) || is_exists(&e) => {
                self.find_callback(entry).await?.ok_or(e)
            }
            Err(e) => Err(e),
        }
    }

    async fn find_callback(&self, entry: &CallbackEntry) -> Result<Option<CallbackEntry>, Error> {
        let all: Vec<CallbackEntry> = self.callbacks().all().stream().try_collect().await?;
        Ok(all.into_iter().find(|c| c.same_registration(entry)))
    }

    async fn callbacks_update(
        &self,
        existing: CallbackEntry,
        patch: &Patch,
    ) -> Result<CallbackEntry, Error> {
        let mut call = crate::client::Call::new(
            reqwest::Method::PATCH,
            "/system/callbacks/{id}",
            format!("/system/callbacks/{}", existing.id),
        );
        call.item = true;
        call.body = Some(
            serde_json::to_vec(patch)
                .map_err(|e| Error::Config(format!("patch does not serialize: {e}")))?,
        );
        self.execute_json(call).await
    }

    /// The values a company filter can use: types, statuses, territories and markets.
    pub async fn company_filter_options(&self) -> Result<CompanyFilterOptions, Error> {
        Ok(CompanyFilterOptions {
            types: self.company_types().all().stream().try_collect().await?,
            statuses: self.company_statuses().all().stream().try_collect().await?,
            territories: self.territories().all().stream().try_collect().await?,
            markets: self.markets().all().stream().try_collect().await?,
        })
    }

    /// How many companies `filter` selects, before syncing them (a preview).
    pub async fn preview_companies(&self, filter: &CompanyFilter) -> Result<u64, Error> {
        self.companies().count(&filter.query()).await
    }
}

fn is_exists(e: &Error) -> bool {
    e.vendor_message()
        .is_some_and(|m| m.to_ascii_lowercase().contains("already exists"))
}

/// The opportunity fields written back after quoting. `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpportunityUpdate {
    /// Probability level (a reference to `/sales/probabilities`).
    pub probability: Option<Reference>,
    /// Sales stage (a reference to `/sales/stages`).
    pub stage: Option<Reference>,
    /// Expected close date.
    pub expected_close_date: Option<DateTime<Utc>>,
    /// Contact.
    pub contact: Option<Reference<ContactId>>,
}

impl OpportunityUpdate {
    /// The PATCH body: each reference replaced whole, the date in Manage's format.
    pub fn to_patch(&self) -> Patch {
        let mut p = Patch::new();
        if let Some(r) = &self.probability {
            p = p.replace_ref("probability", r);
        }
        if let Some(r) = &self.stage {
            p = p.replace_ref("stage", r);
        }
        if let Some(d) = self.expected_close_date {
            p = p.replace_datetime("expectedCloseDate", d);
        }
        if let Some(r) = &self.contact {
            p = p.replace_ref("contact", r);
        }
        p
    }
}

/// What [`Client::company_filter_options`] offers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompanyFilterOptions {
    /// Company types.
    pub types: Vec<CompanyType>,
    /// Company statuses.
    pub statuses: Vec<CompanyStatus>,
    /// Territories (system locations).
    pub territories: Vec<Territory>,
    /// Markets.
    pub markets: Vec<Market>,
}

/// Which companies to sync: each non-empty list must match (any of its values); deleted companies are
/// always left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompanyFilter {
    /// Any of these types.
    pub types: Vec<CompanyTypeId>,
    /// Any of these statuses.
    pub statuses: Vec<CompanyStatusId>,
    /// Any of these territories.
    pub territories: Vec<LocationId>,
    /// Any of these markets.
    pub markets: Vec<MarketId>,
}

impl CompanyFilter {
    /// The companies query: `conditions` on status, territory and market, `childConditions` on types
    /// (an array on the company).
    pub fn query(&self) -> Query {
        let mut conds: Vec<Condition> = vec![field("deletedFlag").eq(false)];
        if !self.statuses.is_empty() {
            conds.push(field("status/id").is_in(self.statuses.iter().copied()));
        }
        if !self.territories.is_empty() {
            conds.push(field("territory/id").is_in(self.territories.iter().copied()));
        }
        if !self.markets.is_empty() {
            conds.push(field("market/id").is_in(self.markets.iter().copied()));
        }
        let mut q = Query::new().filter(Condition::all(conds));
        if !self.types.is_empty() {
            q = q.child_filter(field("types/id").is_in(self.types.iter().copied()));
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn company_filter_renders_conditions_and_child_conditions() {
        let f = CompanyFilter {
            types: vec![CompanyTypeId(1), CompanyTypeId(5)],
            statuses: vec![CompanyStatusId(1)],
            territories: vec![],
            markets: vec![MarketId(3)],
        };
        let p = f.query().params().unwrap();
        assert_eq!(
            p[0],
            (
                "conditions",
                "deletedFlag = false and status/id in (1) and market/id in (3)".into()
            )
        );
        assert_eq!(p[1], ("childConditions", "types/id in (1, 5)".into()));
        let none = CompanyFilter::default().query().params().unwrap();
        assert_eq!(none[0].1, "deletedFlag = false");
    }

    #[test]
    fn closed_status_is_the_first_active_closed_one() {
        let s: Vec<BoardStatus> = serde_json::from_value(json!([
            {"id": 1, "name": "New", "closedStatus": false, "sortOrder": 0},
            {"id": 9, "name": "Old closed", "closedStatus": true, "inactive": true, "sortOrder": 1},
            {"id": 7, "name": "Closed", "closedStatus": true, "sortOrder": 5},
            {"id": 8, "name": "Resolved", "closedStatus": true, "sortOrder": 3}
        ]))
        .unwrap();
        assert_eq!(pick_closed_status(&s).unwrap().id, StatusId(8));
        assert!(pick_closed_status(&s[..1]).is_none());
    }

    #[test]
    fn opportunity_patch_replaces_whole_references() {
        let u = OpportunityUpdate {
            probability: Some(Reference::by_id(4)),
            stage: Some(Reference::by_name("Proposal")),
            expected_close_date: "2026-03-01T00:00:00Z".parse().ok(),
            contact: Some(Reference::by_id(ContactId(12))),
        };
        assert_eq!(
            serde_json::to_value(u.to_patch()).unwrap(),
            json!([
                {"op": "replace", "path": "probability", "value": {"id": 4}},
                {"op": "replace", "path": "stage", "value": {"name": "Proposal"}},
                {"op": "replace", "path": "expectedCloseDate", "value": "2026-03-01T00:00:00Z"},
                {"op": "replace", "path": "contact", "value": {"id": 12}}
            ])
        );
    }
}
