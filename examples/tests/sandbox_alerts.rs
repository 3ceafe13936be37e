//! Alerts -> Manage tickets end to end on the sandbox: Datto alerts through the Datto fake, Asio alerts
//! through a feed fed from the tenant (Asio's public API has no alert feed), tickets in the Manage fake.
//! One ticket per group with the rule's board, status and priority; a repeat adds a note instead of a
//! second ticket; a resolved alert closes its ticket with the rule's close status; alerts of a category no
//! rule covers and of unmapped companies are skipped with their reasons, and so are devices of an ignored
//! category and of unmapped companies.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use datto_rmm_client::AlertUid;
use psa_rmm_core::connector::{AlertFeed, RecordStream, TicketDesk};
use psa_rmm_core::mapping::{IgnoreTarget, MappingBook};
use psa_rmm_core::matching::IgnoreReason;
use psa_rmm_core::model::{Alert, DeviceKind, ExternalRef, System};
use psa_rmm_core::sync::{
    DeviceAction, DeviceSkip, Executor, Grouping, SyncJob, SyncRun, TicketAction, TicketPolicy,
    TicketSkip,
};
use psa_rmm_examples::connect::Connectors;
use psa_rmm_examples::settings::{setup_book, sync_settings, ticket_rule};
use psa_rmm_sandbox::tenant::NoiseRates;
use psa_rmm_sandbox::{Sandbox, SandboxOptions, TenantSpec};

/// Asio alerts as the tenant holds them; a test resolves or repeats them by editing the lists.
#[derive(Default)]
struct TenantFeed {
    open: Mutex<Vec<Alert>>,
    resolved: Mutex<Vec<Alert>>,
}

impl AlertFeed for TenantFeed {
    fn open_alerts(&self) -> RecordStream<Alert> {
        let all = self.open.lock().unwrap().clone();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }
    fn resolved_alerts(&self) -> RecordStream<Alert> {
        let all = self.resolved.lock().unwrap().clone();
        Box::pin(futures::stream::iter(all.into_iter().map(Ok)))
    }
}

struct World {
    sandbox: Sandbox,
    connectors: Connectors,
    asio_feed: Arc<TenantFeed>,
    job: SyncJob,
    book: MappingBook,
}

/// The category left out of the rule's event set.
const UNCOVERED: &str = "event_log";

async fn world() -> World {
    // A tiny tenant with more alerts, so every case below has one (seed picked for that).
    let mut noise = NoiseRates::default();
    noise.open_alert = 0.3;
    noise.resolved_alert = 0.1;
    let spec = TenantSpec::new(2, 6, 80).noise(noise);
    // A sandbox minute is a real second; the sandbox connectors pace themselves to that clock.
    let options = SandboxOptions::default().tenant(spec).clock_factor(60.0);
    let sandbox = Sandbox::start(options).await.unwrap();
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    let tenant = sandbox.tenant();
    let asio_feed = Arc::new(TenantFeed::default());
    for alert in tenant.alerts_of(&System::CwAsio) {
        let list = if alert.resolved {
            &asio_feed.resolved
        } else {
            &asio_feed.open
        };
        list.lock().unwrap().push(alert.clone());
    }
    let mut rule = ticket_rule("Alerts");
    rule.grouping = Grouping::PerDevice;
    let categories: BTreeSet<String> = tenant
        .alerts
        .iter()
        .filter_map(|a| a.category.clone())
        .filter(|c| c != UNCOVERED)
        .collect();
    rule.categories = categories.into_iter().collect();
    let mut settings = sync_settings("Alerts");
    settings.tickets = TicketPolicy::with_rule(rule);
    let base = connectors.job(settings.clone()).unwrap();
    let (psa, mut rmms) = (base.psa().clone(), base.rmms().to_vec());
    for rmm in &mut rmms {
        if rmm.system == System::CwAsio {
            rmm.alerts = Some(asio_feed.clone());
        }
    }
    let job = SyncJob::new(psa, rmms).with_settings(settings);
    World {
        sandbox,
        connectors,
        asio_feed,
        job,
        book: setup_book(),
    }
}

impl World {
    async fn run(&mut self) -> SyncRun {
        let run = self
            .job
            .run(&mut self.book, &Executor::new().apply(true))
            .await
            .unwrap();
        let failures: Vec<_> = run.ticket_report.failures().collect();
        assert!(failures.is_empty(), "{failures:#?}");
        run
    }

    fn mapped(&self, alert: &Alert) -> bool {
        [&alert.site, &alert.company]
            .into_iter()
            .flatten()
            .any(|r| self.book.company_link(r).is_some())
    }

    /// Open alerts of `system` that the rule covers and whose company is mapped.
    fn ticketed(&self, system: &System) -> Vec<Alert> {
        let tenant = self.sandbox.tenant();
        tenant
            .alerts_of(system)
            .filter(|a| !a.resolved && self.mapped(a))
            .filter(|a| a.category.as_deref() != Some(UNCOVERED))
            .cloned()
            .collect()
    }

    fn key(&self, alert: &Alert) -> String {
        let policy = &self.job.settings().tickets;
        let company = self
            .book
            .company_link(alert.site.as_ref().unwrap_or(&alert.external))
            .or_else(|| {
                alert
                    .company
                    .as_ref()
                    .and_then(|c| self.book.company_link(c))
            })
            .map(|l| l.psa.clone())
            .unwrap();
        policy.dedupe_key(&policy.rules[0], alert, &company)
    }

    fn manage_tickets(&self) -> usize {
        let control = self.sandbox.manage_control().unwrap();
        control.count("service/tickets")
    }

    fn desk(&self) -> &dyn TicketDesk {
        self.connectors.manage.as_deref().unwrap()
    }
}

fn skipped_alerts(run: &SyncRun, reason: &TicketSkip) -> BTreeSet<ExternalRef> {
    run.tickets
        .actions
        .iter()
        .filter_map(|a| match a {
            TicketAction::Skip { alert, reason: r } if r == reason => Some(alert.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_open_one_ticket_note_repeats_close_on_resolve_and_skip_with_reasons() {
    let mut w = world().await;
    let before = w.manage_tickets();
    let first = w.run().await;
    println!("{}", first.tickets);

    // One ticket per device with an open alert, with the rule's board, status and priority.
    let datto = w.ticketed(&System::DattoRmm);
    let asio = w.ticketed(&System::CwAsio);
    assert!(
        !datto.is_empty() && !asio.is_empty(),
        "the tenant has alerts on both RMMs"
    );
    let keys: BTreeSet<String> = datto.iter().chain(&asio).map(|a| w.key(a)).collect();
    assert_eq!(first.tickets.counts().get("open"), Some(&keys.len()));
    assert_eq!(w.manage_tickets(), before + keys.len());
    let rule = w.job.settings().tickets.rules[0].clone();
    for alert in datto.iter().chain(&asio) {
        let ticket = w.desk().find_by_dedupe_key(&w.key(alert)).await.unwrap();
        let ticket = ticket.unwrap_or_else(|| panic!("no ticket for {}", alert.external));
        assert_eq!(ticket.board.as_deref(), Some("Alerts"));
        assert_eq!(ticket.status.as_deref(), Some("New"));
        assert!(!ticket.closed);
        let same_device = datto
            .iter()
            .chain(&asio)
            .filter(|a| a.device == alert.device)
            .map(|a| &a.severity)
            .min()
            .unwrap();
        let want = rule.priority_by_severity.get(same_device).cloned();
        assert_eq!(ticket.priority, want.or(rule.default_priority.clone()));
    }

    // Skips with reasons: a category no rule covers, and alerts of unmapped companies.
    let tenant = w.sandbox.tenant().clone();
    let uncovered: BTreeSet<ExternalRef> = tenant
        .alerts
        .iter()
        .filter(|a| !a.resolved && w.mapped(a) && a.category.as_deref() == Some(UNCOVERED))
        .map(|a| a.external.clone())
        .collect();
    let unmapped: BTreeSet<ExternalRef> = tenant
        .alerts
        .iter()
        .filter(|a| !a.resolved && !w.mapped(a))
        .map(|a| a.external.clone())
        .collect();
    assert!(
        !uncovered.is_empty() && !unmapped.is_empty(),
        "the tenant has both kinds"
    );
    assert_eq!(skipped_alerts(&first, &TicketSkip::NoRule), uncovered);
    assert_eq!(
        skipped_alerts(&first, &TicketSkip::CompanyNotMapped),
        unmapped
    );
    let text = first.tickets.to_string();
    assert!(text.contains("no rule covers the alert") && text.contains("company not mapped"));

    // Devices: a printer (ignored kind) and devices of unmapped companies are skipped with the reason.
    let printers = device_skips(&first, |r| {
        matches!(
            r,
            IgnoreReason::Rule {
                target: IgnoreTarget::DeviceKind(DeviceKind::Printer)
            }
        )
    });
    let tenant_printers = tenant
        .rmm_devices
        .iter()
        .filter(|d| d.kind == DeviceKind::Printer)
        .count();
    assert!(
        printers > 0 && printers <= tenant_printers,
        "{printers} printers skipped"
    );
    assert!(device_skips(&first, |r| *r == IgnoreReason::CompanyNotMapped) > 0);

    // Seen again: no second ticket, nothing written.
    let second = w.run().await;
    assert!(second.tickets.is_noop(), "{}", second.tickets);
    assert_eq!(w.manage_tickets(), before + keys.len());

    // An Asio alert repeats on the same device (a new occurrence): a note on its ticket, not a new ticket.
    let original = asio[0].clone();
    let ticket = w
        .desk()
        .find_by_dedupe_key(&w.key(&original))
        .await
        .unwrap()
        .unwrap();
    let repeat = Alert {
        external: ExternalRef::new(System::CwAsio, "repeat-1"),
        raised_at: ticket.created_at.map(|t| t + chrono::Duration::minutes(5)),
        ..original.clone()
    };
    w.asio_feed.open.lock().unwrap().push(repeat.clone());
    let third = w.run().await;
    assert_eq!(
        third.tickets.counts().get("note"),
        Some(&1),
        "{}",
        third.tickets
    );
    assert_eq!(
        third.tickets.counts().get("open"),
        None,
        "{}",
        third.tickets
    );
    assert_eq!(w.manage_tickets(), before + keys.len());
    let notes = w.desk().notes(&ticket.external).await.unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.text.contains("[alert cw-asio:repeat-1]")),
        "{notes:?}"
    );

    // Resolved in the RMM: the next run closes the ticket with the rule's close status.
    let datto_alert = datto[0].clone();
    let datto_ticket = w
        .desk()
        .find_by_dedupe_key(&w.key(&datto_alert))
        .await
        .unwrap()
        .unwrap();
    let client = w.connectors.datto.as_ref().unwrap().client().clone();
    client
        .alerts()
        .resolve(&AlertUid::from(datto_alert.external.id.clone()))
        .await
        .unwrap();
    {
        let mut open = w.asio_feed.open.lock().unwrap();
        let gone: Vec<Alert> = open
            .iter()
            .filter(|a| a.device == original.device)
            .cloned()
            .collect();
        open.retain(|a| a.device != original.device);
        w.asio_feed
            .resolved
            .lock()
            .unwrap()
            .extend(gone.into_iter().map(|a| Alert {
                resolved: true,
                ..a
            }));
    }
    let fourth = w.run().await;
    let same_device_datto = datto
        .iter()
        .filter(|a| a.device == datto_alert.device)
        .count();
    let closes = fourth.tickets.counts().get("close").copied().unwrap_or(0);
    assert_eq!(
        closes,
        1 + usize::from(same_device_datto == 1),
        "{}",
        fourth.tickets
    );
    for (ticket, still_open) in [(&datto_ticket, same_device_datto > 1), (&ticket, false)] {
        let id: i64 = ticket.external.id.parse().unwrap();
        let stored = w
            .sandbox
            .manage_control()
            .unwrap()
            .record("service/tickets", id)
            .unwrap();
        let status = stored["status"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if still_open {
            assert_eq!(status, "New");
        } else {
            assert_eq!(status, rule.status_on_close, "{stored}");
        }
    }
    let fifth = w.run().await;
    assert!(fifth.tickets.is_noop(), "{}", fifth.tickets);
    w.sandbox.shutdown().await;
}

fn device_skips(run: &SyncRun, reason: impl Fn(&IgnoreReason) -> bool) -> usize {
    run.devices
        .rows
        .iter()
        .filter(|r| {
            matches!(&r.action, DeviceAction::Skip { reason: DeviceSkip::Ignored { reason: why } } if reason(why))
        })
        .count()
}
