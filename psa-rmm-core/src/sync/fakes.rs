//! In-memory fakes of the capability traits, with scripted faults, for the executor tests.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use crate::connector::{
    ConfigField, ConfigurationStore, ConnectorError, DeviceFieldValue, DeviceFieldWriter,
    ErrorKind, FieldChange, NewConfiguration, NewTicket, TicketDesk, TicketNote,
};
use crate::model::{Device, ExternalRef, System, Ticket};

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

/// A refusal before anything was stored (the throttle answers first).
fn server_error() -> ConnectorError {
    ConnectorError::new(ErrorKind::RateLimited, "injected refusal").with_status(429)
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

/// PSA configurations in memory; `linked_id` is the sticky RMM device id.
#[derive(Default)]
pub(crate) struct FakeStore {
    pub(crate) configs: Mutex<Vec<Device>>,
    pub(crate) created: AtomicUsize,
    pub(crate) updates: AtomicUsize,
    pub(crate) faults: Faults,
}

impl FakeStore {
    pub(crate) fn all(&self) -> Vec<Device> {
        self.configs.lock().unwrap().clone()
    }
}

fn set_field(d: &mut Device, field: ConfigField, value: Option<String>) {
    match field {
        ConfigField::Name => d.hostname = value,
        ConfigField::Type => d.type_name = value,
        ConfigField::SerialNumber => d.serial_number = value,
        ConfigField::MacAddress => d.mac_addresses = value.into_iter().collect(),
        ConfigField::IpAddress => d.ip_address = value,
        ConfigField::Os => d.os = value,
        ConfigField::Model => d.model = value,
        ConfigField::Manufacturer => d.manufacturer = value,
        ConfigField::LastUser => d.last_user = value,
        ConfigField::WarrantyExpires => {
            d.warranty_expires = value.and_then(|v| v.parse().ok());
        }
        ConfigField::LinkedId => d.linked_id = value,
        ConfigField::Active => d.active = value.as_deref() != Some("false"),
    }
}

#[async_trait]
impl ConfigurationStore for FakeStore {
    async fn configurations(&self, company: &ExternalRef) -> Result<Vec<Device>, ConnectorError> {
        let all = self.configs.lock().unwrap();
        Ok(all
            .iter()
            .filter(|d| d.company.as_ref() == Some(company))
            .cloned()
            .collect())
    }

    fn all_configurations(&self) -> crate::connector::RecordStream<Device> {
        let all = self.all();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }

    async fn find_linked(&self, rmm: &ExternalRef) -> Result<Option<Device>, ConnectorError> {
        let all = self.configs.lock().unwrap();
        Ok(all
            .iter()
            .find(|d| d.linked_id.as_deref() == Some(rmm.to_string().as_str()))
            .cloned())
    }

    async fn create(&self, new: &NewConfiguration) -> Result<Device, ConnectorError> {
        let fault = self.faults.next();
        if matches!(fault, Fault::Refuse) {
            return Err(server_error());
        }
        let n = self.created.fetch_add(1, Ordering::SeqCst) + 1;
        let mut d = Device::new(ExternalRef::new(System::CwManage, (5000 + n).to_string()));
        d.company = Some(new.company.clone());
        d.hostname = Some(new.name.clone());
        d.type_name = Some(new.type_name.clone());
        d.linked_id = Some(new.rmm_device.to_string());
        for (field, value) in &new.fields {
            set_field(&mut d, *field, Some(value.clone()));
        }
        self.configs.lock().unwrap().push(d.clone());
        match fault {
            Fault::LoseAnswer => Err(timeout()),
            _ => Ok(d),
        }
    }

    async fn update(
        &self,
        configuration: &ExternalRef,
        changes: &[FieldChange],
    ) -> Result<Device, ConnectorError> {
        if matches!(self.faults.next(), Fault::Refuse) {
            return Err(server_error());
        }
        self.updates.fetch_add(1, Ordering::SeqCst);
        let mut all = self.configs.lock().unwrap();
        let Some(d) = all.iter_mut().find(|d| d.external == *configuration) else {
            return Err(
                ConnectorError::new(ErrorKind::NotFound, "no configuration").with_status(404)
            );
        };
        for c in changes {
            set_field(d, c.field, c.after.clone());
        }
        Ok(d.clone())
    }
}

/// An RMM in memory: sites, devices and alerts; writes back into its own devices.
#[derive(Default)]
pub(crate) struct FakeRmm {
    pub(crate) sites: Vec<crate::model::Site>,
    pub(crate) devices: Mutex<Vec<Device>>,
    pub(crate) open_alerts: Mutex<Vec<crate::model::Alert>>,
    pub(crate) resolved_alerts: Mutex<Vec<crate::model::Alert>>,
    pub(crate) writes: AtomicUsize,
}

#[async_trait]
impl crate::connector::CompanyDirectory for FakeRmm {
    async fn companies(&self) -> Result<Vec<crate::model::Company>, ConnectorError> {
        Ok(Vec::new())
    }

    async fn sites(&self) -> Result<Vec<crate::model::Site>, ConnectorError> {
        Ok(self.sites.clone())
    }
}

impl crate::connector::DeviceInventory for FakeRmm {
    fn devices(&self) -> crate::connector::RecordStream<Device> {
        let all = self.devices.lock().unwrap().clone();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }
}

impl crate::connector::AlertFeed for FakeRmm {
    fn open_alerts(&self) -> crate::connector::RecordStream<crate::model::Alert> {
        let all = self.open_alerts.lock().unwrap().clone();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }

    fn resolved_alerts(&self) -> crate::connector::RecordStream<crate::model::Alert> {
        let all = self.resolved_alerts.lock().unwrap().clone();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }
}

#[async_trait]
impl DeviceFieldWriter for FakeRmm {
    async fn write_field(
        &self,
        device: &ExternalRef,
        value: &DeviceFieldValue,
    ) -> Result<(), ConnectorError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        let mut all = self.devices.lock().unwrap();
        let Some(d) = all.iter_mut().find(|d| d.external == *device) else {
            return Err(ConnectorError::new(ErrorKind::NotFound, "no device").with_status(404));
        };
        match value {
            DeviceFieldValue::PsaConfigurationId(id) => d.linked_id = Some(id.clone()),
            DeviceFieldValue::WarrantyExpires(date) => d.warranty_expires = Some(*date),
        }
        Ok(())
    }
}

/// PSA companies in memory.
pub(crate) struct FakePsaDirectory(pub(crate) Vec<crate::model::Company>);

#[async_trait]
impl crate::connector::CompanyDirectory for FakePsaDirectory {
    async fn companies(&self) -> Result<Vec<crate::model::Company>, ConnectorError> {
        Ok(self.0.clone())
    }

    async fn sites(&self) -> Result<Vec<crate::model::Site>, ConnectorError> {
        Ok(Vec::new())
    }
}
