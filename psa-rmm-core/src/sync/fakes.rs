//! In-memory fakes of the capability traits, with scripted faults, for the executor tests.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use crate::connector::{
    ConnectorError, DeviceFieldValue, DeviceFieldWriter, ErrorKind, NewTicket, TicketDesk,
    TicketNote,
};
use crate::model::{ExternalRef, System, Ticket};

/// Which write calls fail, counted from 1 across the fake's writes.
#[derive(Default)]
pub(crate) struct Faults {
    calls: AtomicUsize,
    /// Refused before anything is stored.
    pub(crate) refuse: Mutex<BTreeSet<usize>>,
    /// Stored, but the answer is lost (a timeout after the vendor committed).
    pub(crate) lose_answer: Mutex<BTreeSet<usize>>,
}

enum Fault {
    None,
    Refuse,
    LoseAnswer,
}

impl Faults {
    fn next(&self) -> Fault {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.refuse.lock().unwrap().contains(&n) {
            Fault::Refuse
        } else if self.lose_answer.lock().unwrap().contains(&n) {
            Fault::LoseAnswer
        } else {
            Fault::None
        }
    }

    pub(crate) fn clear(&self) {
        self.refuse.lock().unwrap().clear();
        self.lose_answer.lock().unwrap().clear();
    }
}

fn server_error() -> ConnectorError {
    ConnectorError::new(ErrorKind::Server, "injected failure").with_status(503)
}

fn timeout() -> ConnectorError {
    ConnectorError::new(ErrorKind::Transport, "injected timeout after commit")
}

#[derive(Default)]
pub(crate) struct FakeDesk {
    pub(crate) tickets: Mutex<Vec<(Ticket, Vec<TicketNote>)>>,
    pub(crate) opened: AtomicUsize,
    pub(crate) faults: Faults,
}

impl FakeDesk {
    pub(crate) fn open_count(&self) -> usize {
        self.tickets
            .lock()
            .unwrap()
            .iter()
            .filter(|(t, _)| !t.closed)
            .count()
    }

    pub(crate) fn notes_of(&self, id: &str) -> Vec<TicketNote> {
        let all = self.tickets.lock().unwrap();
        all.iter()
            .find(|(t, _)| t.external.id == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

#[async_trait]
impl TicketDesk for FakeDesk {
    async fn open_tickets(&self) -> Result<Vec<Ticket>, ConnectorError> {
        let all = self.tickets.lock().unwrap();
        Ok(all
            .iter()
            .filter(|(t, _)| !t.closed)
            .map(|(t, _)| t.clone())
            .collect())
    }

    async fn find_by_dedupe_key(&self, key: &str) -> Result<Option<Ticket>, ConnectorError> {
        let all = self.tickets.lock().unwrap();
        Ok(all
            .iter()
            .find(|(t, _)| !t.closed && t.dedupe_key.as_deref() == Some(key))
            .map(|(t, _)| t.clone()))
    }

    async fn notes(&self, ticket: &ExternalRef) -> Result<Vec<TicketNote>, ConnectorError> {
        Ok(self.notes_of(&ticket.id))
    }

    async fn open_ticket(&self, new: &NewTicket) -> Result<Ticket, ConnectorError> {
        let fault = self.faults.next();
        if matches!(fault, Fault::Refuse) {
            return Err(server_error());
        }
        let n = self.opened.fetch_add(1, Ordering::SeqCst) + 1;
        let ticket = Ticket {
            external: ExternalRef::new(System::CwManage, (1000 + n).to_string()),
            company: Some(new.company.clone()),
            summary: new.summary.clone(),
            description: None,
            board: new.board.clone(),
            status: new.status.clone(),
            priority: new.priority.clone(),
            closed: false,
            dedupe_key: Some(new.dedupe_key.clone()),
            device: new.configuration.clone(),
            created_at: None,
            updated_at: None,
        };
        let description = TicketNote {
            text: new.description.clone(),
            visibility: new.description_visibility,
        };
        self.tickets
            .lock()
            .unwrap()
            .push((ticket.clone(), vec![description]));
        match fault {
            Fault::LoseAnswer => Err(timeout()),
            _ => Ok(ticket),
        }
    }

    async fn add_note(
        &self,
        ticket: &ExternalRef,
        note: &TicketNote,
    ) -> Result<(), ConnectorError> {
        let fault = self.faults.next();
        if matches!(fault, Fault::Refuse) {
            return Err(server_error());
        }
        let mut all = self.tickets.lock().unwrap();
        let Some((_, notes)) = all.iter_mut().find(|(t, _)| t.external == *ticket) else {
            return Err(ConnectorError::new(ErrorKind::NotFound, "no ticket").with_status(404));
        };
        notes.push(note.clone());
        match fault {
            Fault::LoseAnswer => Err(timeout()),
            _ => Ok(()),
        }
    }

    async fn close_ticket(
        &self,
        ticket: &ExternalRef,
        status: &str,
    ) -> Result<Ticket, ConnectorError> {
        if matches!(self.faults.next(), Fault::Refuse) {
            return Err(server_error());
        }
        let mut all = self.tickets.lock().unwrap();
        let Some((t, _)) = all.iter_mut().find(|(t, _)| t.external == *ticket) else {
            return Err(ConnectorError::new(ErrorKind::NotFound, "no ticket").with_status(404));
        };
        t.closed = true;
        t.status = Some(status.to_owned());
        Ok(t.clone())
    }
}

#[derive(Default)]
pub(crate) struct FakeWriter {
    pub(crate) values: Mutex<BTreeMap<(ExternalRef, String), String>>,
    pub(crate) writes: AtomicUsize,
    pub(crate) faults: Faults,
}

#[async_trait]
impl DeviceFieldWriter for FakeWriter {
    async fn write_field(
        &self,
        device: &ExternalRef,
        value: &DeviceFieldValue,
    ) -> Result<(), ConnectorError> {
        if matches!(self.faults.next(), Fault::Refuse) {
            return Err(server_error());
        }
        self.writes.fetch_add(1, Ordering::SeqCst);
        let (field, v) = match value {
            DeviceFieldValue::PsaConfigurationId(id) => ("psa_id", id.clone()),
            DeviceFieldValue::WarrantyExpires(d) => ("warranty", d.to_string()),
        };
        self.values
            .lock()
            .unwrap()
            .insert((device.clone(), field.to_owned()), v);
        Ok(())
    }
}
