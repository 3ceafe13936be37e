//! Applies plans through the capability traits.
//!
//! Dry-run is the default: [`Executor::new`] only reports what it would write until [`Executor::apply`] is
//! set. Writes run with bounded concurrency; each write is one entry of the [`Report`], done or failed with
//! the reason, so one record's failure never loses the others' results. A write that may be repeated by a
//! re-run is guarded: a create first looks for the record by its sticky key (the RMM device id, the ticket
//! dedupe key), so a write that reached the vendor before an error is found instead of doubled.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use super::devices::{DeviceAction, DevicePlan, VanishedAction};
use super::table::{Table, opt};
use super::tickets::{TicketAction, TicketPlan};
use super::writeback::WriteBackPlan;
use crate::connector::{
    ConfigField, ConfigurationStore, ConnectorError, DeviceFieldWriter, ErrorKind, FieldChange,
    TicketDesk,
};
use crate::model::ExternalRef;

/// The flow a report or progress event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Device staging and sync (PSA configurations).
    Devices,
    /// Alerts -> tickets.
    Tickets,
    /// Values written back to RMM devices.
    WriteBack,
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Devices => "devices",
            Self::Tickets => "tickets",
            Self::WriteBack => "write-back",
        })
    }
}

/// A progress event, sent after each write finishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The flow.
    pub flow: Flow,
    /// Writes finished (done or failed).
    pub finished: usize,
    /// Writes failed so far.
    pub failed: usize,
    /// Writes in the plan.
    pub total: usize,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// What happened to one write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StepOutcome {
    /// Dry run: the write that would happen.
    Planned,
    /// Written.
    Done {
        /// The record written or created.
        target: Option<ExternalRef>,
    },
    /// Not written because the vendor already holds it (found by its sticky key).
    AlreadyThere {
        /// The record found.
        target: Option<ExternalRef>,
    },
    /// Not written.
    Failed {
        /// What went wrong.
        kind: ErrorKind,
        /// HTTP status, when the vendor answered.
        status: Option<u16>,
        /// True when a re-run may succeed.
        retryable: bool,
        /// True when the vendor may have stored the write although it failed (the answer was lost or
        /// unreadable): a re-run finds it by its sticky key instead of writing it again.
        #[serde(default)]
        outcome_unknown: bool,
        /// The error message.
        error: String,
    },
}

impl StepOutcome {
    fn failed(e: &ConnectorError) -> Self {
        Self::Failed {
            kind: e.kind(),
            status: e.status(),
            retryable: e.is_retryable(),
            outcome_unknown: e.outcome_unknown(),
            error: e.to_string(),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Done { .. } => "done",
            Self::AlreadyThere { .. } => "already there",
            Self::Failed {
                outcome_unknown: true,
                ..
            } => "unknown",
            Self::Failed { .. } => "failed",
        }
    }
}

/// One write of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// What the write was about: the RMM device, or the ticket dedupe key.
    pub subject: String,
    /// The RMM record the write belongs to, when there is one (for links created by the write).
    pub rmm: Option<ExternalRef>,
    /// The write (`create`, `update`, `open`, `note`, ...).
    pub action: String,
    /// A short description of what is written.
    pub detail: String,
    /// What happened.
    pub outcome: StepOutcome,
}

impl Entry {
    /// True when the write failed.
    pub fn is_failed(&self) -> bool {
        matches!(self.outcome, StepOutcome::Failed { .. })
    }

    /// True when the write failed in a way that may still have stored it (see
    /// [`ConnectorError::outcome_unknown`]).
    pub fn is_unknown(&self) -> bool {
        matches!(
            self.outcome,
            StepOutcome::Failed {
                outcome_unknown: true,
                ..
            }
        )
    }

    /// True when the vendor now holds the write (written now or found there).
    pub fn is_done(&self) -> bool {
        matches!(
            self.outcome,
            StepOutcome::Done { .. } | StepOutcome::AlreadyThere { .. }
        )
    }
}

/// What an executor did with one plan, entry by entry in plan order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The flow.
    pub flow: Flow,
    /// False for a dry run.
    pub applied: bool,
    /// One entry per write of the plan.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Entries that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.is_failed())
    }

    /// Number of entries written now.
    pub fn written(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, StepOutcome::Done { .. }))
            .count()
    }

    /// Number of failed entries.
    pub fn failed(&self) -> usize {
        self.failures().count()
    }

    /// Number of failed entries whose write may nevertheless have been stored.
    pub fn unknown(&self) -> usize {
        self.entries.iter().filter(|e| e.is_unknown()).count()
    }

    /// (RMM record, PSA record) pairs that the vendor now holds: configurations created or found by their
    /// sticky link. The caller records them in its mapping book.
    pub fn links(&self) -> impl Iterator<Item = (&ExternalRef, &ExternalRef)> {
        self.entries
            .iter()
            .filter_map(|e| match (&e.rmm, &e.outcome) {
                (
                    Some(rmm),
                    StepOutcome::Done {
                        target: Some(target),
                    }
                    | StepOutcome::AlreadyThere {
                        target: Some(target),
                    },
                ) if e.action == "create" => Some((rmm, target)),
                _ => None,
            })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(&["subject", "action", "detail", "outcome", "target/error"]);
        for e in &self.entries {
            let last = match &e.outcome {
                StepOutcome::Done { target } | StepOutcome::AlreadyThere { target } => {
                    opt(target.as_ref().map(|t| t.id.as_str()))
                }
                StepOutcome::Failed { error, .. } => error.clone(),
                StepOutcome::Planned => String::new(),
            };
            t.row(vec![
                e.subject.clone(),
                e.action.clone(),
                e.detail.clone(),
                e.outcome.name().to_owned(),
                last,
            ]);
        }
        write!(f, "{t}")?;
        writeln!(
            f,
            "{}: {} write(s), {} done now, {} failed ({} outcome unknown){}",
            self.flow,
            self.entries.len(),
            self.written(),
            self.failed(),
            self.unknown(),
            if self.applied { "" } else { " (dry run)" }
        )
    }
}

/// A write waiting to run: its report fields, and the future that performs it.
pub(crate) struct Step<F> {
    pub(crate) subject: String,
    pub(crate) rmm: Option<ExternalRef>,
    pub(crate) action: &'static str,
    pub(crate) detail: String,
    pub(crate) run: F,
}

/// Applies plans; dry-run unless told otherwise.
#[derive(Clone)]
pub struct Executor {
    apply: bool,
    concurrency: usize,
    progress: Option<ProgressFn>,
}

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("apply", &self.apply)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// A dry-run executor writing four records at a time.
    pub fn new() -> Self {
        Self {
            apply: false,
            concurrency: 4,
            progress: None,
        }
    }

    /// Writes for real when `apply` is true.
    #[must_use]
    pub fn apply(mut self, apply: bool) -> Self {
        self.apply = apply;
        self
    }

    /// Maximum writes in flight (at least one).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Calls `f` after each write.
    #[must_use]
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// True when the executor writes.
    pub fn applies(&self) -> bool {
        self.apply
    }

    /// Runs steps with bounded concurrency; entries come back in step order.
    pub(crate) async fn run<F>(&self, flow: Flow, steps: Vec<Step<F>>) -> Report
    where
        F: Future<Output = StepOutcome>,
    {
        let total = steps.len();
        if !self.apply {
            let entries = steps
                .into_iter()
                .map(|s| entry(s.subject, s.rmm, s.action, s.detail, StepOutcome::Planned))
                .collect();
            return Report {
                flow,
                applied: false,
                entries,
            };
        }
        let mut finished: Vec<(usize, Entry)> = Vec::with_capacity(total);
        let mut failed = 0;
        let mut running = futures::stream::iter(steps.into_iter().enumerate())
            .map(|(i, s)| async move {
                let outcome = s.run.await;
                (i, entry(s.subject, s.rmm, s.action, s.detail, outcome))
            })
            .buffer_unordered(self.concurrency);
        while let Some((i, e)) = running.next().await {
            failed += usize::from(e.is_failed());
            finished.push((i, e));
            if let Some(p) = &self.progress {
                p(&Progress {
                    flow,
                    finished: finished.len(),
                    failed,
                    total,
                });
            }
        }
        finished.sort_by_key(|(i, _)| *i);
        Report {
            flow,
            applied: true,
            entries: finished.into_iter().map(|(_, e)| e).collect(),
        }
    }

    /// Applies a device plan: creates (after looking the RMM device up by its sticky link), updates, and
    /// deactivations of vanished devices. Staged rows wait for [`DevicePlan::approve`].
    pub async fn apply_devices(&self, plan: &DevicePlan, store: &dyn ConfigurationStore) -> Report {
        let mut steps: Vec<Step<futures::future::BoxFuture<'_, StepOutcome>>> = Vec::new();
        for row in &plan.rows {
            let subject = row.device.to_string();
            match &row.action {
                DeviceAction::Create { configuration } => steps.push(Step {
                    subject,
                    rmm: Some(row.device.clone()),
                    action: "create",
                    detail: format!("{} ({})", configuration.name, configuration.type_name),
                    run: Box::pin(async move {
                        match store.find_linked(&configuration.rmm_device).await {
                            Ok(Some(found)) => StepOutcome::AlreadyThere {
                                target: Some(found.external),
                            },
                            Ok(None) => outcome_of(store.create(configuration).await, |d| {
                                Some(d.external.clone())
                            }),
                            Err(e) => StepOutcome::failed(&e.context("look up sticky link")),
                        }
                    }),
                }),
                DeviceAction::Update {
                    configuration,
                    changes,
                    ..
                } => steps.push(Step {
                    subject,
                    rmm: Some(row.device.clone()),
                    action: "update",
                    detail: super::devices::diff_text(changes),
                    run: Box::pin(async move {
                        outcome_of(store.update(configuration, changes).await, |d| {
                            Some(d.external.clone())
                        })
                    }),
                }),
                _ => {}
            }
        }
        for v in &plan.vanished {
            if v.action == VanishedAction::Deactivate {
                steps.push(Step {
                    subject: v.linked_id.clone(),
                    rmm: None,
                    action: "deactivate",
                    detail: format!("configuration {}", v.configuration.id),
                    run: Box::pin(async move {
                        let change = [FieldChange {
                            field: ConfigField::Active,
                            before: Some("true".into()),
                            after: Some("false".into()),
                        }];
                        outcome_of(store.update(&v.configuration, &change).await, |d| {
                            Some(d.external.clone())
                        })
                    }),
                });
            }
        }
        self.run(Flow::Devices, steps).await
    }

    /// Applies a ticket plan: opens (after looking the dedupe key up), notes, closes.
    pub async fn apply_tickets(&self, plan: &TicketPlan, desk: &dyn TicketDesk) -> Report {
        let steps = plan
            .actions
            .iter()
            .filter_map(|a| ticket_step(a, desk))
            .collect();
        self.run(Flow::Tickets, steps).await
    }

    /// Applies a write-back plan.
    pub async fn apply_write_back(
        &self,
        plan: &WriteBackPlan,
        writer: &dyn DeviceFieldWriter,
    ) -> Report {
        let steps = plan
            .writes
            .iter()
            .map(|w| Step {
                subject: w.device.to_string(),
                rmm: Some(w.device.clone()),
                action: "write",
                detail: w.value.to_string(),
                run: Box::pin(async move {
                    match writer.write_field(&w.device, &w.value).await {
                        Ok(()) => StepOutcome::Done { target: None },
                        Err(e) => StepOutcome::failed(&e),
                    }
                }) as futures::future::BoxFuture<'_, StepOutcome>,
            })
            .collect();
        self.run(Flow::WriteBack, steps).await
    }
}

fn entry(
    subject: String,
    rmm: Option<ExternalRef>,
    action: &str,
    detail: String,
    outcome: StepOutcome,
) -> Entry {
    Entry {
        subject,
        rmm,
        action: action.to_owned(),
        detail,
        outcome,
    }
}

/// Turns a write result into an outcome, with `target` taken from the stored record.
pub(crate) fn outcome_of<T>(
    result: Result<T, ConnectorError>,
    target: impl FnOnce(&T) -> Option<ExternalRef>,
) -> StepOutcome {
    match result {
        Ok(v) => StepOutcome::Done { target: target(&v) },
        Err(e) => StepOutcome::failed(&e),
    }
}

fn ticket_step<'a>(
    action: &'a TicketAction,
    desk: &'a dyn TicketDesk,
) -> Option<Step<futures::future::BoxFuture<'a, StepOutcome>>> {
    let step = |subject: &str,
                action,
                detail: String,
                run: futures::future::BoxFuture<'a, StepOutcome>| Step {
        subject: subject.to_owned(),
        rmm: None,
        action,
        detail,
        run,
    };
    Some(match action {
        TicketAction::Open { ticket, .. } => step(
            &ticket.dedupe_key,
            "open",
            ticket.summary.clone(),
            Box::pin(async move {
                match desk.find_by_dedupe_key(&ticket.dedupe_key).await {
                    Ok(Some(found)) => StepOutcome::AlreadyThere {
                        target: Some(found.external),
                    },
                    Ok(None) => {
                        outcome_of(desk.open_ticket(ticket).await, |t| Some(t.external.clone()))
                    }
                    Err(e) => StepOutcome::failed(&e.context("look up dedupe key")),
                }
            }),
        ),
        TicketAction::Note {
            key,
            ticket,
            note,
            alerts,
        } => step(
            key,
            "note",
            format!("{} alert(s) on ticket {}", alerts.len(), ticket.id),
            Box::pin(async move {
                outcome_of(desk.add_note(ticket, note).await, |()| Some(ticket.clone()))
            }),
        ),
        TicketAction::Close {
            key,
            ticket,
            status,
            ..
        } => step(
            key,
            "close",
            format!("ticket {} -> {status}", ticket.id),
            Box::pin(async move {
                outcome_of(desk.close_ticket(ticket, status).await, |t| {
                    Some(t.external.clone())
                })
            }),
        ),
        TicketAction::Unchanged { .. }
        | TicketAction::Duplicate { .. }
        | TicketAction::Skip { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alert, AlertSeverity, System};
    use crate::sync::fakes::{FakeDesk, FakeWriter};
    use crate::sync::links::Links;
    use crate::sync::source;
    use crate::sync::tickets::{TicketInputs, TicketPolicy, TicketRule, plan_tickets};
    use std::sync::Mutex;

    fn alert(id: &str, resolved: bool) -> Alert {
        Alert {
            external: ExternalRef::new(System::DattoRmm, id),
            company: None,
            site: Some(ExternalRef::new(System::DattoRmm, "site-1")),
            device: Some(ExternalRef::new(System::DattoRmm, format!("dev-{id}"))),
            device_name: Some(format!("PC-{id}")),
            severity: AlertSeverity::High,
            category: Some("online_offline_status".into()),
            message: "device offline".into(),
            raised_at: None,
            resolved,
            resolved_at: None,
        }
    }

    fn links() -> Links {
        let mut l = Links::new();
        l.companies.insert(
            ExternalRef::new(System::DattoRmm, "site-1"),
            ExternalRef::new(System::CwManage, "250"),
        );
        l
    }

    async fn ticket_plan(desk: &FakeDesk, open: &[Alert], resolved: &[Alert]) -> TicketPlan {
        let tickets = source::open_tickets(desk, 2).await.unwrap();
        let links = links();
        plan_tickets(
            TicketInputs {
                open_alerts: open,
                resolved_alerts: resolved,
                open_tickets: &tickets,
                links: &links,
            },
            &TicketPolicy::with_rule(TicketRule::new("RMM alerts", "Closed")),
        )
    }

    fn alerts(n: usize) -> Vec<Alert> {
        (0..n).map(|i| alert(&format!("a{i}"), false)).collect()
    }

    #[tokio::test]
    async fn dry_run_is_the_default_and_writes_nothing() {
        let desk = FakeDesk::default();
        let plan = ticket_plan(&desk, &alerts(3), &[]).await;
        let report = Executor::new().apply_tickets(&plan, &desk).await;
        assert!(!report.applied);
        assert_eq!(report.entries.len(), 3);
        assert!(
            report
                .entries
                .iter()
                .all(|e| e.outcome == StepOutcome::Planned)
        );
        assert_eq!(desk.open_count(), 0);
        assert!(report.to_string().contains("(dry run)"));
    }

    #[tokio::test]
    async fn second_run_does_nothing_and_progress_is_reported() {
        let desk = FakeDesk::default();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let exec = Executor::new()
            .apply(true)
            .concurrency(3)
            .on_progress(move |p| sink.lock().unwrap().push(p.finished));
        let open = alerts(10);
        let report = exec
            .apply_tickets(&ticket_plan(&desk, &open, &[]).await, &desk)
            .await;
        assert_eq!(report.written(), 10);
        assert_eq!(desk.open_count(), 10);
        assert_eq!(*seen.lock().unwrap(), (1..=10).collect::<Vec<_>>());
        let again = ticket_plan(&desk, &open, &[]).await;
        assert!(again.is_noop(), "{again}");
        assert!(exec.apply_tickets(&again, &desk).await.entries.is_empty());
        assert_eq!(desk.opened.load(std::sync::atomic::Ordering::SeqCst), 10);
    }

    #[tokio::test]
    async fn failure_mid_apply_is_reported_and_rerun_completes_without_doubles() {
        let desk = FakeDesk::default();
        desk.faults.refuse.lock().unwrap().extend([3, 5]);
        desk.faults.lose_answer.lock().unwrap().insert(7);
        let exec = Executor::new().apply(true).concurrency(1);
        let open = alerts(8);
        let report = exec
            .apply_tickets(&ticket_plan(&desk, &open, &[]).await, &desk)
            .await;
        let failed: Vec<&str> = report.failures().map(|e| e.subject.as_str()).collect();
        assert_eq!(
            failed,
            vec![
                "psa-rmm:a:datto-rmm:a2",
                "psa-rmm:a:datto-rmm:a4",
                "psa-rmm:a:datto-rmm:a6"
            ]
        );
        assert_eq!(report.written(), 5);
        let unknown: Vec<&str> = report
            .entries
            .iter()
            .filter(|e| e.is_unknown())
            .map(|e| e.subject.as_str())
            .collect();
        assert_eq!(
            unknown,
            vec!["psa-rmm:a:datto-rmm:a6"],
            "only the lost answer"
        );
        assert!(report.to_string().contains("3 failed (1 outcome unknown)"));
        // The lost answer was stored: 6 tickets exist, though the report says 5 written and 3 failed.
        assert_eq!(desk.open_count(), 6);
        desk.faults.clear();
        let rerun = exec
            .apply_tickets(&ticket_plan(&desk, &open, &[]).await, &desk)
            .await;
        assert_eq!(rerun.written(), 2);
        assert_eq!(desk.open_count(), 8);
        let keys: std::collections::BTreeSet<_> = desk
            .tickets
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| t.dedupe_key.clone())
            .collect();
        assert_eq!(keys.len(), 8, "one ticket per alert");
    }

    #[tokio::test]
    async fn stale_plan_applied_twice_finds_tickets_instead_of_doubling() {
        let desk = FakeDesk::default();
        let exec = Executor::new().apply(true);
        let plan = ticket_plan(&desk, &alerts(4), &[]).await;
        exec.apply_tickets(&plan, &desk).await;
        let second = exec.apply_tickets(&plan, &desk).await;
        assert!(
            second
                .entries
                .iter()
                .all(|e| matches!(e.outcome, StepOutcome::AlreadyThere { .. }))
        );
        assert_eq!(desk.open_count(), 4);
    }

    #[tokio::test]
    async fn resolved_alerts_close_their_tickets() {
        let desk = FakeDesk::default();
        let exec = Executor::new().apply(true);
        let open = alerts(3);
        exec.apply_tickets(&ticket_plan(&desk, &open, &[]).await, &desk)
            .await;
        let resolved = vec![alert("a0", true), alert("a2", true)];
        let plan = ticket_plan(&desk, &open[1..2], &resolved).await;
        let report = exec.apply_tickets(&plan, &desk).await;
        assert_eq!(report.written(), 2, "{report}");
        assert!(report.entries.iter().all(|e| e.action == "close"));
        assert_eq!(desk.open_count(), 1);
        let still = desk
            .tickets
            .lock()
            .unwrap()
            .iter()
            .find(|(t, _)| !t.closed)
            .unwrap()
            .0
            .clone();
        assert_eq!(still.dedupe_key.as_deref(), Some("psa-rmm:a:datto-rmm:a1"));
        assert!(ticket_plan(&desk, &open[1..2], &resolved).await.is_noop());
    }

    #[tokio::test]
    async fn write_back_applies_once() {
        use crate::model::Device;
        use crate::sync::writeback::{WriteBackInputs, WriteBackPolicy, plan_write_back};
        let writer = FakeWriter::default();
        writer.faults.refuse.lock().unwrap().insert(2);
        let rmm = |i: usize| ExternalRef::new(System::DattoRmm, format!("d{i}"));
        let mut links = Links::new();
        for i in 0..4 {
            links.devices.insert(
                rmm(i),
                ExternalRef::new(System::CwManage, format!("{}", 100 + i)),
            );
        }
        let read_back = |w: &FakeWriter| -> Vec<Device> {
            let values = w.values.lock().unwrap();
            (0..4)
                .map(|i| {
                    let mut d = Device::new(rmm(i));
                    d.linked_id = values.get(&(rmm(i), "psa_id".to_owned())).cloned();
                    d
                })
                .collect()
        };
        let exec = Executor::new().apply(true).concurrency(2);
        let plan = |devices: &[Device]| {
            plan_write_back(
                WriteBackInputs {
                    devices,
                    configurations: &[],
                    links: &links,
                },
                WriteBackPolicy::default(),
            )
        };
        let report = exec
            .apply_write_back(&plan(&read_back(&writer)), &writer)
            .await;
        assert_eq!((report.written(), report.failed()), (3, 1));
        let rerun = exec
            .apply_write_back(&plan(&read_back(&writer)), &writer)
            .await;
        assert_eq!((rerun.written(), rerun.failed()), (1, 0));
        assert!(plan(&read_back(&writer)).is_noop());
        assert_eq!(writer.writes.load(std::sync::atomic::Ordering::SeqCst), 4);
    }
}
