//! The four flows wired together over connectors: company mapping, device sync, write-back, tickets.
//!
//! [`SyncJob::run`] is the whole job for an embedding service; the `plan_*`/`fetch_*`/`apply_*` steps let a
//! caller show plans, ask for review or report progress between them. Company links are recorded in the
//! mapping book even on a dry run (the book is the caller's state, not a vendor's); device links are
//! recorded for matched devices and for configurations the executor created.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use chrono::Utc;
use serde::Serialize;

use super::companies::{CompanyPlan, plan_companies};
use super::devices::{DeviceInputs, DevicePlan, DeviceSyncPolicy, plan_devices};
use super::executor::{Executor, Flow, Report};
use super::links::Links;
use super::source;
use super::tickets::{OpenTicket, TicketInputs, TicketPlan, TicketPolicy, plan_tickets};
use super::writeback::{WriteBackInputs, WriteBackPlan, WriteBackPolicy, plan_write_back};
use crate::connector::{
    AlertFeed, CompanyDirectory, ConfigurationStore, ConnectorError, DeviceFieldWriter,
    DeviceInventory, TicketDesk,
};
use crate::mapping::MappingBook;
use crate::matching::{DeviceOverlap, MatchPolicy};
use crate::model::{Alert, Device, System};

/// The PSA's capabilities.
#[derive(Clone)]
pub struct PsaSide {
    /// PSA companies.
    pub directory: Arc<dyn CompanyDirectory>,
    /// PSA configurations.
    pub configurations: Arc<dyn ConfigurationStore>,
    /// PSA tickets; `None` skips the ticket flow.
    pub tickets: Option<Arc<dyn TicketDesk>>,
}

/// Which RMM records stand for customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerLevel {
    /// RMM sites (Datto RMM: a site is the customer).
    Sites,
    /// RMM companies (ConnectWise Asio: sites are locations of a company).
    Companies,
}

/// One RMM's capabilities.
#[derive(Clone)]
pub struct RmmSide {
    /// The RMM.
    pub system: System,
    /// Which records are matched to PSA companies.
    pub customers: CustomerLevel,
    /// RMM companies and sites.
    pub directory: Arc<dyn CompanyDirectory>,
    /// RMM devices.
    pub inventory: Arc<dyn DeviceInventory>,
    /// RMM alerts; `None` skips the RMM in the ticket flow.
    pub alerts: Option<Arc<dyn AlertFeed>>,
    /// Write-back; `None` skips the RMM in the write-back flow.
    pub writer: Option<Arc<dyn DeviceFieldWriter>>,
}

impl fmt::Debug for RmmSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RmmSide")
            .field("system", &self.system)
            .field("customers", &self.customers)
            .field("alerts", &self.alerts.is_some())
            .field("writer", &self.writer.is_some())
            .finish_non_exhaustive()
    }
}

/// Settings of every flow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncSettings {
    /// Matching thresholds.
    pub matching: MatchPolicy,
    /// Device flow.
    pub devices: DeviceSyncPolicy,
    /// Write-back flow.
    pub write_back: WriteBackPolicy,
    /// Ticket rules; no rules means no tickets.
    pub tickets: TicketPolicy,
    /// Concurrent reads (configurations per company, notes per ticket).
    pub read_concurrency: usize,
}

/// What the device flow read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceSnapshot {
    /// RMM devices of every RMM.
    pub devices: Vec<Device>,
    /// Every PSA configuration.
    pub configurations: Vec<Device>,
}

/// What the ticket flow read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketSnapshot {
    /// Open alerts of every RMM.
    pub open_alerts: Vec<Alert>,
    /// Resolved alerts of every RMM.
    pub resolved_alerts: Vec<Alert>,
    /// Open tickets with dedupe keys.
    pub open_tickets: Vec<OpenTicket>,
}

/// Everything one run planned and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncRun {
    /// Company links.
    pub companies: CompanyPlan,
    /// Device plan.
    pub devices: DevicePlan,
    /// What the device plan wrote.
    pub device_report: Report,
    /// Write-back plan.
    pub write_back: WriteBackPlan,
    /// What the write-back wrote.
    pub write_back_report: Report,
    /// Ticket plan.
    pub tickets: TicketPlan,
    /// What the ticket plan wrote.
    pub ticket_report: Report,
}

impl SyncRun {
    /// True when the run had nothing to write (a second run on unchanged input).
    pub fn is_noop(&self) -> bool {
        self.companies.is_noop()
            && self.devices.is_noop()
            && self.write_back.is_noop()
            && self.tickets.is_noop()
    }

    /// Writes that failed, over all flows.
    pub fn failed(&self) -> usize {
        self.device_report.failed() + self.write_back_report.failed() + self.ticket_report.failed()
    }
}

/// The four flows over one PSA and its RMMs.
#[derive(Clone)]
pub struct SyncJob {
    psa: PsaSide,
    rmms: Vec<RmmSide>,
    settings: SyncSettings,
}

impl fmt::Debug for SyncJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncJob")
            .field("rmms", &self.rmms)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl SyncJob {
    /// A job with default settings.
    pub fn new(psa: PsaSide, rmms: Vec<RmmSide>) -> Self {
        Self {
            psa,
            rmms,
            settings: SyncSettings::default(),
        }
    }

    /// Replaces the settings.
    #[must_use]
    pub fn with_settings(mut self, settings: SyncSettings) -> Self {
        self.settings = settings;
        self
    }

    /// The settings.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    /// The PSA side.
    pub fn psa(&self) -> &PsaSide {
        &self.psa
    }

    /// The RMM sides, in the order they are read.
    pub fn rmms(&self) -> &[RmmSide] {
        &self.rmms
    }

    fn reads(&self) -> usize {
        self.settings.read_concurrency.max(1)
    }

    /// Matches every RMM's customers to PSA companies; with a device snapshot, devices whose strong keys
    /// match configurations of one PSA company are evidence for that company (location-coded site names).
    pub async fn plan_companies(
        &self,
        book: &MappingBook,
        devices: Option<&DeviceSnapshot>,
    ) -> Result<CompanyPlan, ConnectorError> {
        let overlap = devices.map(|d| {
            DeviceOverlap::compute(&d.devices, &d.configurations, &self.settings.matching)
        });
        let overlap = overlap.as_ref();
        let psa = self
            .psa
            .directory
            .companies()
            .await
            .map_err(|e| e.context("PSA companies"))?;
        let mut plan = CompanyPlan::default();
        for rmm in &self.rmms {
            let part = match rmm.customers {
                CustomerLevel::Sites => {
                    let sites = rmm.directory.sites().await;
                    let sites = sites.map_err(|e| e.context(format!("{} sites", rmm.system)))?;
                    plan_companies(&sites, &psa, book, overlap, &self.settings.matching)
                }
                CustomerLevel::Companies => {
                    let companies = rmm.directory.companies().await;
                    let companies =
                        companies.map_err(|e| e.context(format!("{} companies", rmm.system)))?;
                    plan_companies(&companies, &psa, book, overlap, &self.settings.matching)
                }
            };
            plan.rows.extend(part.rows);
            plan.psa_names.extend(part.psa_names);
        }
        Ok(plan)
    }

    /// Reads RMM devices and every PSA configuration.
    pub async fn fetch_devices(&self) -> Result<DeviceSnapshot, ConnectorError> {
        let mut devices = Vec::new();
        for rmm in &self.rmms {
            let mut of_rmm = source::collect(rmm.inventory.devices())
                .await
                .map_err(|e| e.context(format!("{} devices", rmm.system)))?;
            devices.append(&mut of_rmm);
        }
        let configurations = source::collect(self.psa.configurations.all_configurations())
            .await
            .map_err(|e| e.context("PSA configurations"))?;
        Ok(DeviceSnapshot {
            devices,
            configurations,
        })
    }

    /// Plans the device flow.
    pub fn plan_devices(&self, snapshot: &DeviceSnapshot, book: &MappingBook) -> DevicePlan {
        plan_devices(
            DeviceInputs {
                devices: &snapshot.devices,
                configurations: &snapshot.configurations,
                book,
            },
            &self.settings.devices,
            &self.settings.matching,
        )
    }

    /// Applies a device plan and records the device links it established in `book`.
    pub async fn apply_devices(
        &self,
        plan: &DevicePlan,
        book: &mut MappingBook,
        executor: &Executor,
    ) -> Report {
        let report = executor
            .apply_devices(plan, self.psa.configurations.as_ref())
            .await;
        plan.record_links(book, Some(&report), Utc::now());
        report
    }

    /// Plans the write-back from the devices read before the device flow and the book's links.
    pub fn plan_write_back(&self, snapshot: &DeviceSnapshot, book: &MappingBook) -> WriteBackPlan {
        let writable: BTreeSet<&System> = self
            .rmms
            .iter()
            .filter(|r| r.writer.is_some())
            .map(|r| &r.system)
            .collect();
        let devices: Vec<Device> = snapshot
            .devices
            .iter()
            .filter(|d| writable.contains(&d.external.system))
            .cloned()
            .collect();
        let mut plan = plan_write_back(
            WriteBackInputs {
                devices: &devices,
                configurations: &snapshot.configurations,
                links: &Links::from_book(book),
            },
            self.settings.write_back,
        );
        plan.writes.retain(|w| {
            self.rmms.iter().any(|r| {
                r.system == w.device.system
                    && r.writer.as_ref().is_some_and(|x| x.accepts(&w.value))
            })
        });
        plan
    }

    /// Applies a write-back plan, each device through its own RMM's writer.
    pub async fn apply_write_back(&self, plan: &WriteBackPlan, executor: &Executor) -> Report {
        let mut report = Report {
            flow: Flow::WriteBack,
            applied: executor.applies(),
            entries: Vec::new(),
        };
        for rmm in &self.rmms {
            let Some(writer) = &rmm.writer else {
                continue;
            };
            let part = WriteBackPlan {
                writes: plan
                    .writes
                    .iter()
                    .filter(|w| w.device.system == rmm.system)
                    .cloned()
                    .collect(),
                unchanged: 0,
            };
            let done = executor.apply_write_back(&part, writer.as_ref()).await;
            report.entries.extend(done.entries);
        }
        report
    }

    /// Reads alerts of every RMM with a feed, and the PSA's open tickets with their notes.
    pub async fn fetch_tickets(&self) -> Result<TicketSnapshot, ConnectorError> {
        let mut snap = TicketSnapshot::default();
        let Some(desk) = &self.psa.tickets else {
            return Ok(snap);
        };
        for rmm in &self.rmms {
            let Some(feed) = &rmm.alerts else {
                continue;
            };
            let context = |what: &str| format!("{} {what} alerts", rmm.system);
            let open = source::collect(feed.open_alerts()).await;
            snap.open_alerts
                .extend(open.map_err(|e| e.context(context("open")))?);
            let resolved = source::collect(feed.resolved_alerts()).await;
            snap.resolved_alerts
                .extend(resolved.map_err(|e| e.context(context("resolved")))?);
        }
        snap.open_tickets = source::open_tickets(desk.as_ref(), self.reads())
            .await
            .map_err(|e| e.context("PSA open tickets"))?;
        Ok(snap)
    }

    /// Plans ticket actions.
    pub fn plan_tickets(&self, snapshot: &TicketSnapshot, book: &MappingBook) -> TicketPlan {
        plan_tickets(
            TicketInputs {
                open_alerts: &snapshot.open_alerts,
                resolved_alerts: &snapshot.resolved_alerts,
                open_tickets: &snapshot.open_tickets,
                links: &Links::from_book(book),
            },
            &self.settings.tickets,
        )
    }

    /// Applies a ticket plan.
    pub async fn apply_tickets(&self, plan: &TicketPlan, executor: &Executor) -> Report {
        match &self.psa.tickets {
            Some(desk) => executor.apply_tickets(plan, desk.as_ref()).await,
            None => Report {
                flow: Flow::Tickets,
                applied: executor.applies(),
                entries: Vec::new(),
            },
        }
    }

    /// Runs the four flows. Every read comes first, so a failed read ends the run before anything is
    /// written (nothing is planned on partial data); failed writes are in the reports.
    pub async fn run(
        &self,
        book: &mut MappingBook,
        executor: &Executor,
    ) -> Result<SyncRun, ConnectorError> {
        let snapshot = self.fetch_devices().await?;
        let companies = self.plan_companies(book, Some(&snapshot)).await?;
        companies.apply_to(book, Utc::now());
        // Every read comes before the first write: a read that fails ends the run with nothing written,
        // never after writes whose reports would be lost with the error.
        let alerts = self.fetch_tickets().await?;
        let devices = self.plan_devices(&snapshot, book);
        let device_report = self.apply_devices(&devices, book, executor).await;
        let write_back = self.plan_write_back(&snapshot, book);
        let write_back_report = self.apply_write_back(&write_back, executor).await;
        let tickets = self.plan_tickets(&alerts, book);
        let ticket_report = self.apply_tickets(&tickets, executor).await;
        Ok(SyncRun {
            companies,
            devices,
            device_report,
            write_back,
            write_back_report,
            tickets,
            ticket_report,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Evidence;
    use crate::model::{AlertSeverity, Company, DeviceKind, ExternalRef, Site};
    use crate::sync::CompanyAction;
    use crate::sync::fakes::{FakeDesk, FakePsaDirectory, FakeRmm, FakeStore};
    use crate::sync::tickets::TicketRule;
    use chrono::NaiveDate;

    fn world() -> (SyncJob, Arc<FakeRmm>, Arc<FakeStore>, Arc<FakeDesk>) {
        let psa_ref = |id: &str| ExternalRef::new(System::CwManage, id);
        let rmm_ref = |id: &str| ExternalRef::new(System::DattoRmm, id);
        let companies = vec![
            Company::new(psa_ref("1"), "Contoso Ltd"),
            Company::new(psa_ref("2"), "Fabrikam Inc"),
        ];
        let rmm = FakeRmm {
            sites: vec![
                Site::new(rmm_ref("s1"), "Contoso Ltd"),
                Site::new(rmm_ref("s2"), "Fabrikam, Inc."),
                Site::new(rmm_ref("s3"), "Unknown Customer"),
            ],
            ..FakeRmm::default()
        };
        let mut devices = Vec::new();
        for i in 0..9 {
            let mut d = Device::new(rmm_ref(&format!("d{i}")));
            d.site = Some(rmm_ref(&format!("s{}", i % 3 + 1)));
            d.hostname = Some(format!("PC-{i}"));
            d.kind = DeviceKind::Laptop;
            d.serial_number = Some(format!("5CD{i:05}"));
            d.mac_addresses = vec![format!("3c:22:fb:00:00:{i:02x}")];
            d.os = Some("Windows 11".into());
            devices.push(d);
        }
        *rmm.devices.lock().unwrap() = devices;
        let alert = |id: &str, device: &str, site: &str| Alert {
            external: rmm_ref(id),
            company: None,
            site: Some(rmm_ref(site)),
            device: Some(rmm_ref(device)),
            device_name: Some(device.to_uppercase()),
            severity: AlertSeverity::Critical,
            category: Some("perf_disk_usage".into()),
            message: "disk full".into(),
            raised_at: None,
            resolved: false,
            resolved_at: None,
        };
        *rmm.open_alerts.lock().unwrap() = vec![
            alert("a1", "d0", "s1"),
            alert("a2", "d1", "s2"),
            alert("a3", "d2", "s3"),
        ];
        let rmm = Arc::new(rmm);
        let store = Arc::new(FakeStore::default());
        let mut warranty = Device::new(psa_ref("700"));
        warranty.company = Some(psa_ref("1"));
        warranty.hostname = Some("PC-3".into());
        warranty.serial_number = Some("5CD00003".into());
        warranty.warranty_expires = NaiveDate::from_ymd_opt(2028, 2, 1);
        store.configs.lock().unwrap().push(warranty);
        let desk = Arc::new(FakeDesk::default());
        let psa = PsaSide {
            directory: Arc::new(FakePsaDirectory(companies)),
            configurations: store.clone(),
            tickets: Some(desk.clone()),
        };
        let side = RmmSide {
            system: System::DattoRmm,
            customers: CustomerLevel::Sites,
            directory: rmm.clone(),
            inventory: rmm.clone(),
            alerts: Some(rmm.clone()),
            writer: Some(rmm.clone()),
        };
        let mut settings = SyncSettings::default();
        settings.devices.default_type = Some("Managed Laptop".into());
        settings.tickets = TicketPolicy::with_rule(TicketRule::new("RMM", "Closed"));
        (
            SyncJob::new(psa, vec![side]).with_settings(settings),
            rmm,
            store,
            desk,
        )
    }

    #[tokio::test]
    async fn whole_job_runs_then_second_run_is_a_noop() {
        let (job, rmm, store, desk) = world();
        let mut book = MappingBook::new();
        let dry = job.run(&mut book.clone(), &Executor::new()).await.unwrap();
        assert_eq!(
            dry.devices.counts().get("create"),
            Some(&5),
            "{}",
            dry.devices
        );
        assert_eq!(store.all().len(), 1, "dry run writes nothing");
        let exec = Executor::new().apply(true);
        let first = job.run(&mut book, &exec).await.unwrap();
        assert_eq!(
            first.companies.counts().get("link"),
            Some(&2),
            "{}",
            first.companies
        );
        assert_eq!(
            first.devices.counts().get("update"),
            Some(&1),
            "{}",
            first.devices
        );
        assert_eq!(first.device_report.written(), 6);
        assert_eq!(first.failed(), 0);
        // Device d3 matched configuration 700 by serial: its warranty and id go back to the RMM.
        let d3 = rmm
            .devices
            .lock()
            .unwrap()
            .iter()
            .find(|d| d.external.id == "d3")
            .cloned()
            .unwrap();
        assert_eq!(d3.linked_id.as_deref(), Some("700"));
        assert_eq!(d3.warranty_expires, NaiveDate::from_ymd_opt(2028, 2, 1));
        assert_eq!(
            first.write_back_report.written(),
            7,
            "{}",
            first.write_back_report
        );
        // a3 sits on an unmapped site: skipped with the reason.
        assert_eq!(first.ticket_report.written(), 2);
        assert_eq!(first.tickets.counts().get("skip"), Some(&1));
        let second = job.run(&mut book, &exec).await.unwrap();
        assert!(
            second.is_noop(),
            "{}\n{}\n{}",
            second.devices,
            second.write_back,
            second.tickets
        );
        assert_eq!(store.all().len(), 6, "5 created next to the existing one");
        assert_eq!(desk.open_count(), 2);
        // Resolving an alert closes its ticket.
        let resolved = rmm.open_alerts.lock().unwrap().remove(0);
        rmm.resolved_alerts.lock().unwrap().push(Alert {
            resolved: true,
            ..resolved
        });
        let third = job.run(&mut book, &exec).await.unwrap();
        assert_eq!(third.tickets.counts().get("close"), Some(&1));
        assert_eq!(desk.open_count(), 1);
    }

    /// A location-coded site ("CONTOSO-NYC-01") has no name evidence; its devices' serials sit on
    /// configurations of Contoso, so device overlap links it and its devices are matched, not skipped.
    /// A configuration of an unmapped company whose device is gone is left alone.
    #[tokio::test]
    async fn device_overlap_links_a_location_coded_site_and_its_devices() {
        let psa_ref = |id: &str| ExternalRef::new(System::CwManage, id);
        let rmm_ref = |id: &str| ExternalRef::new(System::DattoRmm, id);
        let rmm = FakeRmm {
            sites: vec![Site::new(rmm_ref("s1"), "CONTOSO-NYC-01")],
            ..FakeRmm::default()
        };
        let store = Arc::new(FakeStore::default());
        let mut devices = Vec::new();
        for i in 0..4 {
            let mut d = Device::new(rmm_ref(&format!("d{i}")));
            d.site = Some(rmm_ref("s1"));
            d.hostname = Some(format!("NYC-PC-{i}"));
            d.serial_number = Some(format!("5CG{i:05}"));
            devices.push(d);
            let mut c = Device::new(psa_ref(&format!("70{i}")));
            c.company = Some(psa_ref("1"));
            c.hostname = Some(format!("NYC-PC-{i}"));
            c.serial_number = Some(format!("5CG{i:05}"));
            store.configs.lock().unwrap().push(c);
        }
        let mut gone = Device::new(psa_ref("800"));
        gone.company = Some(psa_ref("2"));
        gone.linked_id = Some("datto-rmm:d-gone".into());
        store.configs.lock().unwrap().push(gone);
        *rmm.devices.lock().unwrap() = devices;
        let rmm = Arc::new(rmm);
        let psa = PsaSide {
            directory: Arc::new(FakePsaDirectory(vec![
                Company::new(psa_ref("1"), "Contoso Ltd"),
                Company::new(psa_ref("2"), "Northwind Traders"),
            ])),
            configurations: store.clone(),
            tickets: None,
        };
        let side = RmmSide {
            system: System::DattoRmm,
            customers: CustomerLevel::Sites,
            directory: rmm.clone(),
            inventory: rmm.clone(),
            alerts: None,
            writer: None,
        };
        let job = SyncJob::new(psa, vec![side]);
        let book = MappingBook::new();
        let by_name = job.plan_companies(&book, None).await.unwrap();
        assert_eq!(by_name.counts().get("link"), None, "{by_name}");
        let snapshot = job.fetch_devices().await.unwrap();
        assert_eq!(
            snapshot.configurations.len(),
            5,
            "every company's configurations"
        );
        let plan = job.plan_companies(&book, Some(&snapshot)).await.unwrap();
        match &plan.rows[0].action {
            CompanyAction::Link { psa, evidence, .. } => {
                assert_eq!(psa, &psa_ref("1"));
                assert!(
                    evidence.contains(&Evidence::DeviceOverlap {
                        matched: 4,
                        total: 4
                    }),
                    "{evidence:?}"
                );
            }
            other => panic!("expected a link, got {other:?}"),
        }
        let mut book = book;
        let run = job.run(&mut book, &Executor::new()).await.unwrap();
        let linked = run
            .devices
            .rows
            .iter()
            .filter(|r| r.action.linked().is_some());
        assert_eq!(linked.count(), 4, "{}", run.devices);
        assert!(run.devices.vanished.is_empty(), "{}", run.devices);
    }
}
