//! The `psa_rmm_core::connector` capabilities ConnectWise Manage offers as the PSA: companies and their
//! sites, configurations (list by company, find by sticky link, create, update), and service tickets
//! (open with the rule's board, type, subtype, item, priority, source and status; find by dedupe key; notes;
//! close). Manage has no device inventory or alert feed of its own.
//!
//! The sticky link is stored in `deviceIdentifier` (as the RMM reference `system:id`), the dedupe key in
//! `externalXRef`. References (board, status, type, priority, source, configuration type, manufacturer) are
//! sent by name; Manage resolves them, a board's status, type, subtype and item within that board.

use async_trait::async_trait;
use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt};
use psa_rmm_core::connector::{
    CompanyDirectory, ConfigField, ConfigurationStore, ConnectorError, ErrorKind, FieldChange,
    NewConfiguration, NewTicket, NoteVisibility, RecordStream, TicketDesk, TicketNote,
};
use psa_rmm_core::model::{self as core, Company, Device, ExternalRef, Site, System, Ticket};

use crate::client::Client;
use crate::conditions::{Query, field};
use crate::convert;
use crate::error::Error;
use crate::ids::{CompanyId, ConfigurationId, TicketId};
use crate::model::{self, Configuration, Reference};
use crate::patch::Patch;

/// Dedupe-key prefix of the tickets this connector lists as open integration tickets, unless told otherwise.
pub const DEFAULT_KEY_PREFIX: &str = "psa-rmm";
/// Site reads in flight when listing the sites of every company.
const SITE_READS: usize = 4;

/// ConnectWise Manage as the PSA connector.
#[derive(Debug, Clone)]
pub struct ManageConnector {
    client: Client,
    key_prefix: String,
}

impl ManageConnector {
    /// A connector listing tickets whose dedupe key starts with [`DEFAULT_KEY_PREFIX`].
    pub fn new(client: Client) -> Self {
        Self {
            client,
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
        }
    }

    /// Sets the dedupe-key prefix (the `key_prefix` of the ticket policy).
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// A Manage error as a connector error, keeping it as the source.
pub fn connector_error(error: Error) -> ConnectorError {
    let kind = match error.http() {
        Some(h) => ErrorKind::of_http(h),
        None => match &error {
            Error::Config(_)
            | Error::Condition(_)
            | Error::Patch(_)
            | Error::QueryTooLong { .. } => ErrorKind::Rejected,
            Error::NoClosedStatus { .. } | Error::Incomplete(_) => ErrorKind::Rejected,
            _ => ErrorKind::Other,
        },
    };
    let status = error.status().map(|s| s.as_u16());
    let retryable = error.is_retryable();
    let retry_after = error.retry_after();
    ConnectorError::from_source(error, status, retryable)
        .with_kind(kind)
        .with_retry_after(retry_after)
}

fn manage_id(r: &ExternalRef, what: &str) -> Result<i64, ConnectorError> {
    r.id_in(System::CwManage, what)?.parse().map_err(|_| {
        ConnectorError::new(
            ErrorKind::Rejected,
            format!("{r} is not a Manage {what} id"),
        )
    })
}

fn by_name<I>(name: &Option<String>) -> Option<Reference<I>> {
    name.as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(Reference::by_name)
}

fn midnight(date: NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    date.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
}

fn parse_date(value: &str) -> Result<NaiveDate, ConnectorError> {
    value.get(..10).and_then(|d| d.parse().ok()).ok_or_else(|| {
        ConnectorError::new(
            ErrorKind::Rejected,
            format!("{value:?} is not a date (YYYY-MM-DD)"),
        )
    })
}

/// Sets one field of a configuration being created.
fn set_field(c: &mut Configuration, field: ConfigField, value: &str) -> Result<(), ConnectorError> {
    let text = Some(value.to_owned());
    match field {
        ConfigField::Name => c.name = text,
        ConfigField::Type => c.config_type = by_name(&text),
        ConfigField::SerialNumber => c.serial_number = text,
        ConfigField::MacAddress => c.mac_address = text,
        ConfigField::IpAddress => c.ip_address = text,
        ConfigField::Os => c.os_type = text,
        ConfigField::Model => c.model_number = text,
        ConfigField::Manufacturer => c.manufacturer = by_name(&text),
        ConfigField::LastUser => c.last_login_name = text,
        ConfigField::WarrantyExpires => c.warranty_expiration_date = midnight(parse_date(value)?),
        ConfigField::LinkedId => c.device_identifier = text,
        ConfigField::Active => c.active_flag = Some(value != "false"),
        other => {
            return Err(ConnectorError::unsupported(format!(
                "Manage connector cannot write {other}"
            )));
        }
    }
    Ok(())
}

/// The JSON Patch for field changes; activity also moves the status (Manage reads both).
fn patch_of(changes: &[FieldChange]) -> Result<Patch, ConnectorError> {
    let mut patch = Patch::new();
    for change in changes {
        let Some(after) = change.after.as_deref() else {
            if let Some(path) = plain_path(change.field) {
                patch = patch.remove(path);
            }
            continue;
        };
        patch = match change.field {
            ConfigField::Type => patch.replace_ref("type", &Reference::<i64>::by_name(after)),
            ConfigField::Manufacturer => {
                patch.replace_ref("manufacturer", &Reference::<i64>::by_name(after))
            }
            ConfigField::WarrantyExpires => match midnight(parse_date(after)?) {
                Some(at) => patch.replace_datetime("warrantyExpirationDate", at),
                None => patch,
            },
            ConfigField::Active => {
                let active = after != "false";
                let status = if active { "Active" } else { "Inactive" };
                patch
                    .replace("activeFlag", active)
                    .replace_ref("status", &Reference::<i64>::by_name(status))
            }
            other => match plain_path(other) {
                Some(path) => patch.replace(path, after),
                None => {
                    return Err(ConnectorError::unsupported(format!(
                        "Manage connector cannot write {other}"
                    )));
                }
            },
        };
    }
    Ok(patch)
}

fn plain_path(field: ConfigField) -> Option<&'static str> {
    Some(match field {
        ConfigField::Name => "name",
        ConfigField::SerialNumber => "serialNumber",
        ConfigField::MacAddress => "macAddress",
        ConfigField::IpAddress => "ipAddress",
        ConfigField::Os => "osType",
        ConfigField::Model => "modelNumber",
        ConfigField::LastUser => "lastLoginName",
        ConfigField::LinkedId => "deviceIdentifier",
        _ => return None,
    })
}

fn core_ticket(t: &model::Ticket) -> Ticket {
    convert::ticket(t)
}

#[async_trait]
impl CompanyDirectory for ManageConnector {
    async fn companies(&self) -> Result<Vec<Company>, ConnectorError> {
        self.client
            .companies()
            .all()
            .stream()
            .map_ok(|c| convert::company(&c))
            .map_err(connector_error)
            .try_collect()
            .await
    }

    async fn sites(&self) -> Result<Vec<Site>, ConnectorError> {
        let companies: Vec<model::Company> = self
            .client
            .companies()
            .all()
            .stream()
            .try_collect()
            .await
            .map_err(connector_error)?;
        // Pages finish in any order, so one waiting out a retry does not hold the others back; they are put
        // back in company order after.
        let mut pages: Vec<(usize, Vec<Site>)> =
            futures::stream::iter(companies.into_iter().map(|c| c.id).enumerate())
                .map(|(index, id)| async move {
                    self.client
                        .company_sites(id)
                        .all()
                        .stream()
                        .map_ok(|s| convert::site(&s, Some(id)))
                        .try_collect::<Vec<_>>()
                        .await
                        .map(|sites| (index, sites))
                        .map_err(connector_error)
                })
                .buffer_unordered(SITE_READS)
                .try_collect()
                .await?;
        pages.sort_unstable_by_key(|(index, _)| *index);
        Ok(pages.into_iter().flat_map(|(_, sites)| sites).collect())
    }
}

#[async_trait]
impl ConfigurationStore for ManageConnector {
    async fn configurations(&self, company: &ExternalRef) -> Result<Vec<Device>, ConnectorError> {
        let id = manage_id(company, "company")?;
        let query = Query::new().filter(field("company/id").eq(id));
        self.client
            .configurations()
            .list(query)
            .stream()
            .map_ok(|c| convert::device(&c))
            .map_err(connector_error)
            .try_collect()
            .await
    }

    fn all_configurations(&self) -> RecordStream<Device> {
        Box::pin(
            self.client
                .configurations()
                .all()
                .stream()
                .map_ok(|c| convert::device(&c))
                .map_err(connector_error),
        )
    }

    async fn find_linked(
        &self,
        rmm_device: &ExternalRef,
    ) -> Result<Option<Device>, ConnectorError> {
        let query = Query::new().filter(field("deviceIdentifier").eq(rmm_device.to_string()));
        let page = self
            .client
            .configurations()
            .list(query)
            .send()
            .await
            .map_err(connector_error)?;
        Ok(page.items.first().map(convert::device))
    }

    async fn create(&self, new: &NewConfiguration) -> Result<Device, ConnectorError> {
        let company = manage_id(&new.company, "company")?;
        let mut record = Configuration {
            name: Some(new.name.clone()),
            config_type: Some(Reference::by_name(new.type_name.clone())),
            company: Some(Reference::by_id(CompanyId::from(company))),
            device_identifier: Some(new.rmm_device.to_string()),
            active_flag: Some(true),
            ..Configuration::default()
        };
        for (field, value) in &new.fields {
            set_field(&mut record, *field, value)?;
        }
        let stored = self
            .client
            .configurations()
            .create(&record)
            .await
            .map_err(connector_error)?;
        Ok(convert::device(&stored))
    }

    async fn update(
        &self,
        configuration: &ExternalRef,
        changes: &[FieldChange],
    ) -> Result<Device, ConnectorError> {
        let id = ConfigurationId::from(manage_id(configuration, "configuration")?);
        let patch = patch_of(changes)?;
        let stored = self
            .client
            .configurations()
            .update(id, &patch)
            .await
            .map_err(connector_error)?;
        Ok(convert::device(&stored))
    }
}

fn note_model(note: &TicketNote) -> model::TicketNote {
    match note.visibility {
        NoteVisibility::Internal => model::TicketNote::internal(note.text.clone()),
        NoteVisibility::External => model::TicketNote::discussion(note.text.clone()),
    }
}

#[async_trait]
impl TicketDesk for ManageConnector {
    async fn open_tickets(&self) -> Result<Vec<core::Ticket>, ConnectorError> {
        let query = Query::new().filter(
            field("closedFlag")
                .eq(false)
                .and(field("externalXRef").like(format!("{}:%", self.key_prefix))),
        );
        self.client
            .tickets()
            .list(query)
            .stream()
            .map_ok(|t| core_ticket(&t))
            .map_err(connector_error)
            .try_collect()
            .await
    }

    async fn find_by_dedupe_key(
        &self,
        dedupe_key: &str,
    ) -> Result<Option<core::Ticket>, ConnectorError> {
        let query = Query::new().filter(
            field("closedFlag")
                .eq(false)
                .and(field("externalXRef").eq(dedupe_key)),
        );
        let page = self
            .client
            .tickets()
            .list(query)
            .send()
            .await
            .map_err(connector_error)?;
        Ok(page.items.first().map(core_ticket))
    }

    async fn notes(&self, ticket: &ExternalRef) -> Result<Vec<TicketNote>, ConnectorError> {
        let id = TicketId::from(manage_id(ticket, "ticket")?);
        self.client
            .ticket_notes(id)
            .all()
            .stream()
            .map_ok(|n| TicketNote {
                text: n.text.unwrap_or_default(),
                visibility: if n.internal_analysis_flag == Some(true) {
                    NoteVisibility::Internal
                } else {
                    NoteVisibility::External
                },
            })
            .map_err(connector_error)
            .try_collect()
            .await
    }

    async fn open_ticket(&self, new: &NewTicket) -> Result<core::Ticket, ConnectorError> {
        let company = manage_id(&new.company, "company")?;
        let (description, analysis) = match new.description_visibility {
            NoteVisibility::External => (Some(new.description.clone()), None),
            NoteVisibility::Internal => (None, Some(new.description.clone())),
        };
        let record = model::Ticket {
            summary: Some(new.summary.clone()),
            company: Some(Reference::by_id(CompanyId::from(company))),
            board: by_name(&new.board),
            status: by_name(&new.status),
            ticket_type: by_name(&new.service_type),
            sub_type: by_name(&new.subtype),
            item: by_name(&new.item),
            priority: by_name(&new.priority),
            source: by_name(&new.source),
            external_x_ref: Some(new.dedupe_key.clone()),
            initial_description: description,
            initial_internal_analysis: analysis,
            ..model::Ticket::default()
        };
        let stored = self
            .client
            .tickets()
            .create(&record)
            .await
            .map_err(connector_error)?;
        let mut ticket = core_ticket(&stored);
        ticket.device = new.configuration.clone();
        Ok(ticket)
    }

    async fn add_note(
        &self,
        ticket: &ExternalRef,
        note: &TicketNote,
    ) -> Result<(), ConnectorError> {
        let id = TicketId::from(manage_id(ticket, "ticket")?);
        self.client
            .ticket_notes(id)
            .create(&note_model(note))
            .await
            .map_err(connector_error)?;
        Ok(())
    }

    async fn close_ticket(
        &self,
        ticket: &ExternalRef,
        status: &str,
    ) -> Result<core::Ticket, ConnectorError> {
        let id = TicketId::from(manage_id(ticket, "ticket")?);
        let patch = Patch::new().replace_ref("status", &Reference::<i64>::by_name(status));
        let stored = self
            .client
            .tickets()
            .update_verified(id, &patch)
            .await
            .map_err(connector_error)?;
        if stored.closed_flag != Some(true) {
            return Err(ConnectorError::new(
                ErrorKind::Rejected,
                format!("status {status:?} is not a closed status of ticket {id}'s board"),
            ));
        }
        Ok(core_ticket(&stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_changes_become_a_patch_with_manage_paths() {
        let change = |field, after: &str| FieldChange {
            field,
            before: None,
            after: Some(after.to_owned()),
        };
        let patch = patch_of(&[
            change(ConfigField::SerialNumber, "5CD1"),
            change(ConfigField::Os, "Windows 11"),
            change(ConfigField::WarrantyExpires, "2027-03-01"),
            change(ConfigField::LinkedId, "datto-rmm:u1"),
            change(ConfigField::Active, "false"),
        ])
        .unwrap();
        assert_eq!(patch.value_of("serialNumber").unwrap(), "5CD1");
        assert_eq!(patch.value_of("osType").unwrap(), "Windows 11");
        assert_eq!(patch.value_of("deviceIdentifier").unwrap(), "datto-rmm:u1");
        assert_eq!(patch.value_of("activeFlag").unwrap(), false);
        assert_eq!(patch.value_of("status").unwrap()["name"], "Inactive");
        assert!(
            patch
                .value_of("warrantyExpirationDate")
                .unwrap()
                .as_str()
                .unwrap()
                .starts_with("2027-03-01T00:00:00")
        );
        assert!(patch_of(&[change(ConfigField::WarrantyExpires, "soon")]).is_err());
    }

    #[test]
    fn foreign_references_are_refused() {
        let r = ExternalRef::new(System::DattoRmm, "5");
        assert_eq!(
            manage_id(&r, "company").unwrap_err().kind(),
            ErrorKind::Rejected
        );
        let r = ExternalRef::new(System::CwManage, "abc");
        assert!(manage_id(&r, "company").is_err());
        assert_eq!(
            manage_id(&ExternalRef::new(System::CwManage, "42"), "x").unwrap(),
            42
        );
    }
}
