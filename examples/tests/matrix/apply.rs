//! Sync applies: the whole job (configuration creates and updates, ticket opens and closes, Datto UDF and
//! Asio custom-field write-back) with a fault on one vendor's writes; the executor's report is compared
//! with what the fakes stored, then a re-run must complete without doubling anything and a third run must
//! be a no-op.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::Utc;
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::sync::{
    DeviceAction, Entry, Executor, Flow, Progress, StepOutcome, SyncJob, SyncRun, TicketAction,
};
use psa_rmm_examples::settings::{setup_book, sync_settings};
use psa_rmm_sandbox::{FaultKind, LoggedRequest, Vendor};
use serde_json::Value;

use super::{Cell, Env, Outcome, kind, once};

const CONFIGURATIONS: &str = "company/configurations";
const TICKETS: &str = "service/tickets";
/// The Datto UDF the connector writes the PSA id to.
const PSA_UDF: u16 = datto_rmm_client::connector::DEFAULT_PSA_UDF;

/// A sandbox whose tenant has writes of every kind pending, and the job over it.
pub struct Stage {
    /// The sandbox and connectors.
    pub env: Env,
    /// The mapping book carried from run to run.
    pub book: MappingBook,
    /// Log length before the faulted run.
    pub log_start: usize,
    /// Manage configurations before the faulted run.
    pub configurations_before: BTreeSet<i64>,
    /// Manage tickets before the faulted run.
    pub tickets_before: BTreeSet<i64>,
}

fn job(env: &Env) -> SyncJob {
    env.connectors.job(sync_settings("Alerts")).unwrap()
}

fn ids(records: &[Value]) -> BTreeSet<i64> {
    records.iter().filter_map(|r| r["id"].as_i64()).collect()
}

/// Starts the sandbox and opens tickets for every other open alert, then resolves the first of those
/// alerts: the faulted run has configuration creates and updates, write-backs, ticket opens and a close.
pub async fn stage(cell: Cell) -> Stage {
    let env = Env::start(cell).await;
    let job = job(&env);
    let mut book = setup_book();
    job.plan_companies(&book, None)
        .await
        .unwrap()
        .apply_to(&mut book, Utc::now());
    let snap = job.fetch_tickets().await.unwrap();
    let mut plan = job.plan_tickets(&snap, &book);
    let mut n = 0;
    plan.actions.retain(|a| match a {
        TicketAction::Open { .. } => {
            n += 1;
            n % 2 == 1
        }
        _ => false,
    });
    let report = job.apply_tickets(&plan, &Executor::new().apply(true)).await;
    assert!(report.written() >= 2, "{report}");
    let Some(TicketAction::Open { alerts, .. }) = plan.actions.first() else {
        panic!("no ticket to close later");
    };
    let datto = env.datto().client().clone();
    let uid = datto_rmm_client::AlertUid::new(alerts[0].id.clone());
    datto.alerts().resolve(&uid).await.unwrap();
    let control = env.sandbox.manage_control().unwrap();
    Stage {
        log_start: env.sandbox.log().len(),
        configurations_before: ids(&control.records(CONFIGURATIONS)),
        tickets_before: ids(&control.records(TICKETS)),
        env,
        book,
    }
}

/// The faults of `cell` against `vendor`'s writes, pushed before the run or armed from the executor's
/// progress for the cells that strike mid-apply.
pub fn executor(stage: &Stage, vendor: Vendor, cell: Cell) -> Executor {
    let faults = stage.env.sandbox.faults().clone();
    let write = |method: &str, path: &str, k: &FaultKind| {
        faults.push(once(vendor, method, path, k.clone()));
    };
    if let Some(k) = kind(cell, true) {
        match vendor {
            Vendor::Manage => {
                write("POST", "*/company/configurations", &k);
                write("PATCH", "*/company/configurations/*", &k);
                write("POST", "*/service/tickets", &k);
                write("PATCH", "*/service/tickets/*", &k);
            }
            Vendor::Datto => write("POST", "/api/v2/device/*/udf", &k),
            Vendor::Asio => write(
                "PUT",
                "/api/platform/v2/device/endpoints/*/custom-fields",
                &k,
            ),
        }
    }
    let exec = Executor::new().apply(true).concurrency(4);
    let sandbox_faults = stage.env.sandbox.faults().clone();
    let datto = stage.env.sandbox.datto_control().unwrap();
    let asio = stage.env.sandbox.asio_control().unwrap();
    // Mid-apply cells strike once the configuration writes are done, before the RMM write-back.
    let strike = move |p: &Progress| {
        if p.flow != Flow::Devices || p.finished != p.total {
            return;
        }
        match (vendor, cell) {
            (Vendor::Manage, Cell::TokenExpired) => {
                // Manage signs every request with Basic auth: the nearest thing is a 401 on the next write.
                for method in ["POST", "PATCH"] {
                    sandbox_faults.push(once(
                        Vendor::Manage,
                        method,
                        "*/service/tickets*",
                        FaultKind::status(401)
                            .body(r#"{"code":"Unauthorized","message":"Unauthorized"}"#),
                    ));
                }
            }
            (Vendor::Datto, Cell::TokenExpired) => datto.expire_tokens(),
            (Vendor::Asio, Cell::TokenExpired | Cell::AsioKeyLocked) => asio.expire_tokens(),
            (Vendor::Datto, Cell::DattoIpBlock) => {
                sandbox_faults.push(once(
                    Vendor::Datto,
                    "POST",
                    "/api/v2/device/*/udf",
                    FaultKind::status(429),
                ));
                datto.block_ip(Duration::from_secs(300));
            }
            _ => {}
        }
    };
    exec.on_progress(strike)
}

/// The write request of one report entry: method and path suffix (creates are checked in the store).
fn request_of(entry: &Entry, run: &SyncRun) -> Option<(&'static str, String)> {
    let system_id = |s: &str| s.split_once(':').map(|(_, id)| id.to_owned());
    match (entry.action.as_str(), vendor_of(entry)) {
        ("update", _) => {
            let id = run.devices.rows.iter().find_map(|r| match &r.action {
                DeviceAction::Update { configuration, .. }
                    if r.device.to_string() == entry.subject =>
                {
                    Some(configuration.id.clone())
                }
                _ => None,
            })?;
            Some(("PATCH", format!("/{CONFIGURATIONS}/{id}")))
        }
        ("close", _) => {
            let id = run.tickets.actions.iter().find_map(|a| match a {
                TicketAction::Close { key, ticket, .. } if *key == entry.subject => {
                    Some(ticket.id.clone())
                }
                _ => None,
            })?;
            Some(("PATCH", format!("/{TICKETS}/{id}")))
        }
        ("write", Some(Vendor::Datto)) => {
            let field = if entry.detail.starts_with("warranty=") {
                "warranty"
            } else {
                "udf"
            };
            Some((
                "POST",
                format!("/api/v2/device/{}/{field}", system_id(&entry.subject)?),
            ))
        }
        ("write", Some(Vendor::Asio)) => Some((
            "PUT",
            format!(
                "/api/platform/v2/device/endpoints/{}/custom-fields",
                system_id(&entry.subject)?
            ),
        )),
        _ => None,
    }
}

/// The RMM a write-back entry writes to.
fn vendor_of(entry: &Entry) -> Option<Vendor> {
    match entry.rmm.as_ref()?.system {
        psa_rmm_core::model::System::DattoRmm => Some(Vendor::Datto),
        psa_rmm_core::model::System::CwAsio => Some(Vendor::Asio),
        _ => None,
    }
}

/// True when the fake carried the write out: a 2xx from the fake (its body possibly cut or replaced
/// afterwards), or a write whose answer was dropped after it. A fault that answers in the fake's place
/// stored nothing.
fn applied(e: &LoggedRequest) -> bool {
    let success = e.status.is_some_and(|s| (200..300).contains(&s));
    match &e.fault {
        None | Some(FaultKind::Delay(_) | FaultKind::TruncatedBody | FaultKind::BrokenBody) => {
            success
        }
        Some(FaultKind::HtmlBody(_) | FaultKind::EmptyBody(_)) => success,
        Some(FaultKind::DropAfterHandling) => true,
        Some(_) => false,
    }
}

fn entries(run: &SyncRun) -> impl Iterator<Item = &Entry> {
    run.device_report
        .entries
        .iter()
        .chain(&run.write_back_report.entries)
        .chain(&run.ticket_report.entries)
}

/// Compares the run's report with what the fakes stored: each write done is stored exactly once, each
/// failed one is not stored unless its outcome is reported unknown, and nothing is stored that the report
/// does not name. Returns the entries stored although reported failed.
pub fn check_report(stage: &Stage, run: &SyncRun) -> usize {
    let log: Vec<LoggedRequest> = stage.env.sandbox.log().entries()[stage.log_start..].to_vec();
    let writes = |method: &str, suffix: &str| {
        log.iter()
            .filter(|e| e.method == method && e.path.ends_with(suffix) && applied(e))
            .count()
    };
    let mut landed_unknown = 0;
    let mut accounted = 0;
    let mut named = Vec::new();
    for entry in entries(run) {
        let Some((method, suffix)) = request_of(entry, run) else {
            continue;
        };
        named.push((method, suffix.clone()));
        let n = writes(method, &suffix);
        accounted += n;
        // Setting the same UDF or custom field again after a lost answer leaves one value, not two.
        let repeatable = method != "PATCH";
        check_entry(entry, if repeatable { n.min(1) } else { n });
        landed_unknown += usize::from(entry.is_unknown() && n == 1);
    }
    // Every update, close and write-back the fakes applied belongs to an entry.
    let all_writes = log
        .iter()
        .filter(|e| applied(e) && is_tracked_write(e))
        .count();
    let stray: Vec<String> = log
        .iter()
        .filter(|e| applied(e) && is_tracked_write(e))
        .filter(|e| {
            !named
                .iter()
                .any(|(m, s)| e.method == *m && e.path.ends_with(s.as_str()))
        })
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(stray.is_empty(), "stored but not in the report: {stray:?}");
    assert_eq!(
        all_writes, accounted,
        "a write was stored that the report does not name"
    );
    landed_unknown + check_creates(stage, run)
}

fn is_tracked_write(e: &LoggedRequest) -> bool {
    (e.method == "PATCH"
        && (e.path.contains("/company/configurations/") || e.path.contains("/service/tickets/")))
        || (e.method == "POST" && (e.path.ends_with("/udf") || e.path.ends_with("/warranty")))
        || (e.method == "PUT" && e.path.ends_with("/custom-fields"))
}

fn check_entry(entry: &Entry, stored: usize) {
    let what = format!(
        "{} {} {:?}: stored {stored} time(s)",
        entry.action, entry.subject, entry.outcome
    );
    match &entry.outcome {
        StepOutcome::Done { .. } => assert_eq!(stored, 1, "{what}"),
        StepOutcome::AlreadyThere { .. } => assert_eq!(stored, 0, "{what}"),
        StepOutcome::Failed { .. } if entry.is_unknown() => assert!(stored <= 1, "{what}"),
        StepOutcome::Failed { .. } => assert_eq!(stored, 0, "{what}"),
        StepOutcome::Planned => panic!("{what}: the executor applies"),
    }
}

/// Configuration creates and ticket opens, checked in the Manage store by their sticky keys.
fn check_creates(stage: &Stage, run: &SyncRun) -> usize {
    let control = stage.env.sandbox.manage_control().unwrap();
    let new_configs: Vec<Value> = control
        .records(CONFIGURATIONS)
        .into_iter()
        .filter(|r| {
            r["id"]
                .as_i64()
                .is_some_and(|id| !stage.configurations_before.contains(&id))
        })
        .collect();
    let new_tickets: Vec<Value> = control
        .records(TICKETS)
        .into_iter()
        .filter(|r| {
            r["id"]
                .as_i64()
                .is_some_and(|id| !stage.tickets_before.contains(&id))
        })
        .collect();
    let by_key = |records: &[Value], field: &str| {
        let mut m: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for r in records {
            if let (Some(k), Some(id)) = (r[field].as_str(), r["id"].as_i64()) {
                m.entry(k.to_owned()).or_default().push(id);
            }
        }
        m
    };
    let configs = by_key(&new_configs, "deviceIdentifier");
    let tickets = by_key(&new_tickets, "externalXRef");
    assert_eq!(
        configs.values().map(Vec::len).sum::<usize>(),
        new_configs.len()
    );
    assert_eq!(
        tickets.values().map(Vec::len).sum::<usize>(),
        new_tickets.len()
    );
    let mut landed_unknown = 0;
    let mut named = 0;
    for entry in entries(run) {
        let (stored, key) = match entry.action.as_str() {
            "create" => (&configs, entry.rmm.as_ref().unwrap().to_string()),
            "open" => (&tickets, entry.subject.clone()),
            _ => continue,
        };
        let found = stored.get(&key).map_or(&[][..], Vec::as_slice);
        named += found.len();
        check_entry(entry, found.len());
        if let StepOutcome::Done { target: Some(t) } = &entry.outcome {
            assert_eq!(
                found,
                [t.id.parse::<i64>().unwrap()],
                "{key}: the stored record is the one reported"
            );
        }
        landed_unknown += usize::from(entry.is_unknown() && found.len() == 1);
    }
    assert_eq!(
        named,
        new_configs.len() + new_tickets.len(),
        "a record was created that the report does not name"
    );
    landed_unknown
}

/// What the faulted run ended with.
pub fn outcome(run: &SyncRun) -> Outcome {
    let first = entries(run).find_map(|e| match &e.outcome {
        StepOutcome::Failed { kind, status, .. } => Some((*kind, *status)),
        _ => None,
    });
    match first {
        None => Outcome::Recovered,
        Some((kind, status)) => Outcome::Failed(kind, status),
    }
}

/// One line for the table: writes done, failed, unknown, and unknown writes that landed.
pub fn summary(run: &SyncRun, landed_unknown: usize) -> String {
    let all: Vec<&Entry> = entries(run).collect();
    let done = all
        .iter()
        .filter(|e| matches!(e.outcome, StepOutcome::Done { .. }))
        .count();
    let failed = all.iter().filter(|e| e.is_failed()).count();
    let unknown = all.iter().filter(|e| e.is_unknown()).count();
    format!(
        "{done}/{} written, {failed} failed ({unknown} outcome unknown, {landed_unknown} of them stored)",
        all.len()
    )
}

/// The re-run after the fault is gone (a later sync cycle: new connectors, the block or lock lifted): it
/// completes every write left, doubles nothing, and a third run writes nothing.
pub async fn rerun(stage: &mut Stage) -> SyncRun {
    let sandbox = &stage.env.sandbox;
    sandbox.faults().clear();
    sandbox.clock().advance(Duration::from_secs(400));
    stage.env.connectors = super::connectors(sandbox, super::RELAXED_TIMEOUT).await;
    let job = job(&stage.env);
    let second = job
        .run(&mut stage.book, &Executor::new().apply(true))
        .await
        .unwrap();
    let failed: Vec<&Entry> = entries(&second).filter(|e| e.is_failed()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let third = job
        .run(&mut stage.book, &Executor::new().apply(true))
        .await
        .unwrap();
    assert!(
        third.is_noop(),
        "third run: {}\n{}\n{}",
        third.devices,
        third.write_back,
        third.tickets
    );
    never_doubled(stage);
    second
}

/// No two configurations hold the same sticky link, no two open tickets the same dedupe key.
pub fn never_doubled(stage: &Stage) {
    let control = stage.env.sandbox.manage_control().unwrap();
    for (collection, field) in [
        (CONFIGURATIONS, "deviceIdentifier"),
        (TICKETS, "externalXRef"),
    ] {
        let mut seen = BTreeSet::new();
        for r in control.records(collection) {
            if collection == TICKETS && r["closedFlag"].as_bool() == Some(true) {
                continue;
            }
            if let Some(k) = r[field].as_str().filter(|k| !k.is_empty()) {
                assert!(seen.insert(k.to_owned()), "{collection}: {k} stored twice");
            }
        }
    }
}

/// Runs one apply cell: the faulted run's report must match the fakes' state exactly and its outcome be
/// `expect`; then the re-run completes without doubles and a third run is a no-op.
pub async fn cell(vendor: Vendor, cell: Cell, expect: Outcome) {
    let mut stage = stage(cell).await;
    let exec = executor(&stage, vendor, cell);
    let first = job(&stage.env).run(&mut stage.book, &exec).await.unwrap();
    let landed_unknown = check_report(&stage, &first);
    let got = outcome(&first);
    let text = match &got {
        Outcome::Recovered => format!("recovered: {}", summary(&first, landed_unknown)),
        failed => format!("{failed}: {}", summary(&first, landed_unknown)),
    };
    super::row(vendor, cell, "apply", &text);
    assert_eq!(got, expect, "{text}");
    let second = rerun(&mut stage).await;
    if got == Outcome::Recovered {
        assert_eq!(
            entries(&second).count(),
            0,
            "nothing left after a recovered run"
        );
    }
    stage.env.sandbox.shutdown().await;
}
