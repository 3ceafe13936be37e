//! Fetching what the planners read, through the connector traits.

use futures::{StreamExt, TryStreamExt};

use super::tickets::OpenTicket;
use crate::connector::{ConfigurationStore, ConnectorError, RecordStream, TicketDesk};
use crate::model::{Device, ExternalRef};

/// Drains a record stream; stops at the first error.
pub async fn collect<T>(stream: RecordStream<T>) -> Result<Vec<T>, ConnectorError> {
    stream.try_collect().await
}

/// Configurations of the given PSA companies, `concurrency` companies at a time, in company order.
pub async fn configurations_of(
    store: &dyn ConfigurationStore,
    companies: &[ExternalRef],
    concurrency: usize,
) -> Result<Vec<Device>, ConnectorError> {
    let mut pages: Vec<(usize, Vec<Device>)> = futures::stream::iter(companies.iter().enumerate())
        .map(|(i, c)| async move {
            store
                .configurations(c)
                .await
                .map(|v| (i, v))
                .map_err(|e| e.context(format!("configurations of company {}", c.id)))
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect()
        .await?;
    pages.sort_by_key(|(i, _)| *i);
    Ok(pages.into_iter().flat_map(|(_, v)| v).collect())
}

/// Open tickets carrying dedupe keys, each with the alert markers of its notes.
pub async fn open_tickets(
    desk: &dyn TicketDesk,
    concurrency: usize,
) -> Result<Vec<OpenTicket>, ConnectorError> {
    let tickets = desk.open_tickets().await?;
    let mut with_notes: Vec<(usize, OpenTicket)> =
        futures::stream::iter(tickets.into_iter().enumerate())
            .map(|(i, t)| async move {
                let notes = desk
                    .notes(&t.external)
                    .await
                    .map_err(|e| e.context(format!("notes of ticket {}", t.external.id)))?;
                let open = OpenTicket::from_notes(t, notes.iter().map(|n| n.text.as_str()));
                Ok::<_, ConnectorError>((i, open))
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
    with_notes.sort_by_key(|(i, _)| *i);
    Ok(with_notes.into_iter().map(|(_, t)| t).collect())
}
