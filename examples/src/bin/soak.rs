//! Soak: the demo flows (company mapping, device sync, write-back, alert tickets) with `--apply` on a large
//! seeded sandbox tenant while every fake answers a share of requests with a fault (429, 500, 502, 503, a
//! dropped connection, a truncated body). Runs until a run has nothing left to write, checks the fakes'
//! final state against the plans (every device linked once, every configuration, ticket and UDF written
//! once), then keeps running the flows to show memory stays flat. A bench binary: run it in release.
//!
//! ```sh
//! cargo run --release -p psa-rmm-examples --bin soak -- --devices 50000 --fault-rate 0.01 --seed 7
//! ```
//!
//! Every knob is also read from the environment (`SOAK_DEVICES`, `SOAK_FAULT_RATE`, `SOAK_SEED`,
//! `SOAK_CLOCK`, `SOAK_CONCURRENCY`, `SOAK_MAX_RUNS`, `SOAK_CYCLES`, `SOAK_MIX`); flags win. `--mix` picks
//! the fault kinds (comma-separated from `429,500,502,503,dropped,truncated`, all by default).

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use psa_rmm_core::System;
use psa_rmm_core::connector::DeviceFieldValue;
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::model::ExternalRef;
use psa_rmm_core::sync::{DeviceAction, Executor, StepOutcome, SyncJob, SyncRun, TicketAction};
use psa_rmm_examples::connect::Connectors;
use psa_rmm_examples::settings::{setup_book, sync_settings};
use psa_rmm_sandbox::{
    Fault, FaultKind, LoggedRequest, Sandbox, SandboxOptions, Tenant, TenantSpec, Vendor,
};

/// The knobs.
#[derive(Debug, Clone)]
struct Knobs {
    devices: usize,
    fault_rate: f64,
    seed: u64,
    clock: f64,
    concurrency: usize,
    max_runs: usize,
    cycles: usize,
    mix: Vec<String>,
}

impl Knobs {
    fn parse() -> Result<Self, String> {
        let env = |name: &str| std::env::var(format!("SOAK_{name}")).ok();
        let mut raw: BTreeMap<String, String> = [
            "DEVICES",
            "FAULT_RATE",
            "SEED",
            "CLOCK",
            "CONCURRENCY",
            "MAX_RUNS",
            "CYCLES",
            "MIX",
        ]
        .iter()
        .filter_map(|k| env(k).map(|v| (k.to_ascii_lowercase().replace('_', "-"), v)))
        .collect();
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let name = flag
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {flag:?}"))?;
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            raw.insert(name.to_owned(), value);
        }
        let get = |name: &str, default: &str| -> String {
            raw.get(name).cloned().unwrap_or_else(|| default.to_owned())
        };
        let num = |name: &str, default: &str| -> Result<f64, String> {
            get(name, default)
                .replace('_', "")
                .parse::<f64>()
                .map_err(|e| format!("--{name}: {e}"))
        };
        let knobs = Self {
            devices: num("devices", "50000")? as usize,
            fault_rate: num("fault-rate", "0.01")?,
            seed: num("seed", "7")? as u64,
            clock: num("clock", "60")?,
            concurrency: num("concurrency", "8")? as usize,
            max_runs: num("max-runs", "6")? as usize,
            cycles: num("cycles", "3")? as usize,
            mix: get("mix", "429,500,502,503,dropped,truncated")
                .split(',')
                .map(|m| m.trim().to_owned())
                .collect(),
        };
        if let Some(bad) = knobs
            .mix
            .iter()
            .find(|m| !fault_mix().iter().any(|(name, _)| name == m))
        {
            return Err(format!("--mix: unknown fault {bad:?}"));
        }
        if let Some(unknown) = raw.keys().find(|k| {
            ![
                "devices",
                "fault-rate",
                "seed",
                "clock",
                "concurrency",
                "max-runs",
                "cycles",
                "mix",
            ]
            .contains(&k.as_str())
        }) {
            return Err(format!("unknown flag --{unknown}"));
        }
        Ok(knobs)
    }
}

/// The fault mix: each kind gets an equal share of the fault rate, on every path of every fake.
fn fault_mix() -> Vec<(&'static str, FaultKind)> {
    vec![
        ("429", FaultKind::status(429)),
        ("500", FaultKind::status(500)),
        ("502", FaultKind::status(502)),
        ("503", FaultKind::status(503)),
        ("dropped", FaultKind::DropConnection),
        ("truncated", FaultKind::TruncatedBody),
    ]
}

fn fault_name(kind: &FaultKind) -> &'static str {
    fault_mix()
        .into_iter()
        .find(|(_, k)| k == kind)
        .map_or("other", |(name, _)| name)
}

fn inject_faults(sandbox: &Sandbox, rate: f64, names: &[String]) {
    let mix: Vec<_> = fault_mix()
        .into_iter()
        .filter(|(name, _)| names.iter().any(|n| n == name))
        .collect();
    // Rules are tried in order and the first that fires wins, so each gets the share of what is left.
    let share = 1.0 - (1.0 - rate).powf(1.0 / mix.len() as f64);
    for vendor in [Vendor::Manage, Vendor::Datto, Vendor::Asio] {
        for (_, kind) in &mix {
            sandbox
                .faults()
                .push(Fault::new(vendor, "*", kind.clone()).probability(share));
        }
    }
}

/// What the fakes saw, tallied from the drained request log.
#[derive(Debug, Default)]
struct Tally {
    requests: BTreeMap<Vendor, usize>,
    faults: BTreeMap<&'static str, usize>,
    /// Faulted requests sent again (same method, path and query within two sandbox minutes).
    retried: usize,
    pending: HashMap<(String, String, Option<String>), chrono::DateTime<chrono::Utc>>,
    /// Writes the fakes stored, by kind.
    stored: BTreeMap<&'static str, usize>,
    /// Requests since the last progress line, by vendor, method and path shape.
    window: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, entries: Vec<LoggedRequest>) {
        for e in entries {
            *self.requests.entry(e.vendor).or_default() += 1;
            *self.window.entry(path_shape(&e)).or_default() += 1;
            let key = (e.method.clone(), e.path.clone(), e.query.clone());
            if let Some(at) = self.pending.remove(&key)
                && (e.at - at).num_seconds() <= 120
            {
                self.retried += 1;
            }
            let faulted_before_the_fake = matches!(
                e.fault,
                Some(FaultKind::Status { .. } | FaultKind::DropConnection)
            );
            if let Some(kind) = &e.fault {
                *self.faults.entry(fault_name(kind)).or_default() += 1;
                self.pending.insert(key, e.at);
            }
            let ok = e.status.is_some_and(|s| (200..300).contains(&s));
            if let (true, false, Some(kind)) = (ok, faulted_before_the_fake, write_kind(&e)) {
                *self.stored.entry(kind).or_default() += 1;
            }
        }
    }
}

impl Tally {
    /// The busiest request shapes since the last call, so a slow phase shows what it waits on.
    fn take_window(&mut self) -> String {
        let mut rows: Vec<_> = std::mem::take(&mut self.window).into_iter().collect();
        rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let total: usize = rows.iter().map(|(_, n)| n).sum();
        let top: Vec<String> = rows
            .iter()
            .take(4)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        format!("{total} requests: {}", top.join(", "))
    }
}

/// `Vendor METHOD /path` with every segment holding a digit replaced by `*`.
fn path_shape(e: &LoggedRequest) -> String {
    let shape: Vec<&str> = e
        .path
        .split('/')
        .map(|seg| {
            if seg.bytes().any(|b| b.is_ascii_digit()) && seg.len() > 2 {
                "*"
            } else {
                seg
            }
        })
        .collect();
    format!("{:?} {} {}", e.vendor, e.method, shape.join("/"))
}

fn write_kind(e: &LoggedRequest) -> Option<&'static str> {
    let m = e.method.as_str();
    let p = e.path.as_str();
    match (e.vendor, m) {
        (Vendor::Manage, "POST") if p.ends_with("/company/configurations") => {
            Some("configuration create")
        }
        (Vendor::Manage, "PATCH") if p.contains("/company/configurations/") => {
            Some("configuration update")
        }
        (Vendor::Manage, "POST") if p.ends_with("/service/tickets") => Some("ticket create"),
        (Vendor::Manage, "POST") if p.ends_with("/notes") => Some("ticket note"),
        (Vendor::Manage, "PATCH") if p.contains("/service/tickets/") => Some("ticket update"),
        (Vendor::Datto, "POST") if p.ends_with("/udf") => Some("Datto UDF set"),
        (Vendor::Datto, "POST") if p.ends_with("/warranty") => Some("Datto warranty set"),
        (Vendor::Datto, "POST") if p.ends_with("/resolve") => Some("Datto alert resolve"),
        (Vendor::Asio, "PATCH" | "POST" | "PUT") if p.contains("custom") => {
            Some("Asio custom field set")
        }
        _ => None,
    }
}

/// RSS samples taken by a background thread.
#[derive(Debug, Default)]
struct Samples {
    rows: Vec<(f64, String, u64)>,
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples RSS and drains the request log every 250 ms until `stop`; every 30 s prints what the fakes
/// were asked since the last line.
fn spawn_sampler(
    sandbox_log: psa_rmm_sandbox::RequestLog,
    tally: Arc<Mutex<Tally>>,
    samples: Arc<Mutex<Samples>>,
    phase: Arc<Mutex<String>>,
    stop: Arc<AtomicBool>,
    start: Instant,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut ticks = 0u32;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(250));
            tally_lock(&tally).add(sandbox_log.drain());
            let phase = phase.lock().map(|p| p.clone()).unwrap_or_default();
            let kib = rss_kib();
            ticks += 1;
            if ticks.is_multiple_of(120) {
                let window = tally_lock(&tally).take_window();
                eprintln!(
                    "[{:.0} s] {phase}, RSS {} MiB, last 30 s: {window}",
                    start.elapsed().as_secs_f64(),
                    kib.unwrap_or(0) / 1024
                );
            }
            if let (Some(kib), Ok(mut s)) = (kib, samples.lock()) {
                s.rows.push((start.elapsed().as_secs_f64(), phase, kib));
            }
        }
        tally_lock(&tally).add(sandbox_log.drain());
    })
}

fn tally_lock(t: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    t.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One run's outcome, for the report.
#[derive(Debug)]
struct RunLine {
    name: String,
    secs: f64,
    outcome: String,
}

fn writes_line(run: &SyncRun) -> String {
    let r = [
        &run.device_report,
        &run.write_back_report,
        &run.ticket_report,
    ];
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    for report in r {
        for e in report.failures() {
            if let StepOutcome::Failed {
                kind,
                status,
                outcome_unknown,
                ..
            } = &e.outcome
            {
                let status = status.map_or("-".to_owned(), |s| s.to_string());
                let unknown = if *outcome_unknown { ", unknown" } else { "" };
                let key = format!("{} {} {kind:?} {status}{unknown}", report.flow, e.action);
                *failed.entry(key).or_default() += 1;
            }
        }
    }
    let failed: Vec<String> = failed.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    format!(
        "{} writes done, {} failed [{}]; noop: {}",
        r.iter().map(|x| x.written()).sum::<usize>(),
        r.iter().map(|x| x.failed()).sum::<usize>(),
        failed.join("; "),
        run.is_noop()
    )
}

/// What the runs meant to write, keyed for the final check.
#[derive(Debug, Default)]
struct Intended {
    /// RMM devices a configuration was planned to be created for.
    creates: BTreeMap<String, ()>,
    /// Ticket dedupe keys planned to be opened.
    tickets: BTreeMap<String, ()>,
    /// Datto device UID -> PSA configuration id planned for its UDF.
    udfs: BTreeMap<String, String>,
}

impl Intended {
    fn add(&mut self, run: &SyncRun) {
        for row in &run.devices.rows {
            if let DeviceAction::Create { .. } = row.action {
                self.creates.insert(row.device.to_string(), ());
            }
        }
        for a in &run.tickets.actions {
            if let TicketAction::Open { ticket, .. } = a {
                self.tickets.insert(ticket.dedupe_key.clone(), ());
            }
        }
        for w in &run.write_back.writes {
            if let (System::DattoRmm, DeviceFieldValue::PsaConfigurationId(id)) =
                (&w.device.system, &w.value)
            {
                self.udfs.insert(w.device.id.clone(), id.clone());
            }
        }
    }
}

/// Lost and doubled records in the fakes' final state.
#[derive(Debug, Default)]
struct Verdict {
    lines: Vec<String>,
    lost: usize,
    doubled: usize,
}

fn count_by(sandbox: &Sandbox, collection: &str, field: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let Some(ctl) = sandbox.manage_control() else {
        return out;
    };
    for id in ctl.ids(collection) {
        let value = ctl
            .record(collection, id)
            .and_then(|r| r.get(field).and_then(|v| v.as_str().map(str::to_owned)));
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            *out.entry(v).or_default() += 1;
        }
    }
    out
}

fn doubles(counts: &BTreeMap<String, usize>) -> usize {
    counts.values().map(|n| n.saturating_sub(1)).sum()
}

fn verify(
    sandbox: &Sandbox,
    before: &(BTreeMap<String, usize>, BTreeMap<String, usize>),
    intended: &Intended,
    last: &SyncRun,
) -> Verdict {
    let mut v = Verdict::default();
    let configs = count_by(sandbox, "company/configurations", "deviceIdentifier");
    let tickets = count_by(sandbox, "service/tickets", "externalXRef");
    let new_config_doubles = doubles(&configs).saturating_sub(doubles(&before.0));
    let new_ticket_doubles = doubles(&tickets).saturating_sub(doubles(&before.1));
    let created_missing = intended
        .creates
        .keys()
        .filter(|d| !configs.contains_key(*d))
        .count();
    let tickets_missing = intended
        .tickets
        .keys()
        .filter(|k| !tickets.contains_key(*k))
        .count();
    v.lines.push(format!(
        "configurations: {} created for {} planned devices, {created_missing} missing, {new_config_doubles} doubled",
        intended
            .creates
            .keys()
            .filter(|d| configs.contains_key(*d))
            .count(),
        intended.creates.len()
    ));
    v.lines.push(format!(
        "tickets: {} planned keys, {tickets_missing} missing, {new_ticket_doubles} doubled",
        intended.tickets.len()
    ));
    let datto = sandbox.datto_control();
    let udf = datto_rmm_client::connector::DEFAULT_PSA_UDF;
    let udf_wrong = intended
        .udfs
        .iter()
        .filter(|(uid, id)| {
            datto.as_ref().and_then(|c| c.udf(uid, udf)).as_deref() != Some(id.as_str())
        })
        .count();
    v.lines.push(format!(
        "Datto UDF {udf}: {} planned, {udf_wrong} not holding the planned id",
        intended.udfs.len()
    ));
    // Every RMM device once in the final plan, every configuration linked by at most one device.
    let mut rows: HashMap<&ExternalRef, usize> = HashMap::new();
    let mut linked: HashMap<&ExternalRef, usize> = HashMap::new();
    for row in &last.devices.rows {
        *rows.entry(&row.device).or_default() += 1;
        if let Some(c) = row.action.linked() {
            *linked.entry(c).or_default() += 1;
        }
    }
    let device_doubles: usize = rows.values().map(|n| n - 1).sum();
    let link_doubles: usize = linked.values().map(|n| n - 1).sum();
    v.lines.push(format!(
        "final plan: {} devices ({device_doubles} listed twice), {} configurations linked ({link_doubles} by two devices)",
        rows.len(),
        linked.len()
    ));
    v.lost = created_missing + tickets_missing + udf_wrong;
    v.doubled = new_config_doubles + new_ticket_doubles + device_doubles + link_doubles;
    v
}

async fn run_once(
    job: &SyncJob,
    book: &mut MappingBook,
    exec: &Executor,
    name: String,
    phase: &Mutex<String>,
    lines: &mut Vec<RunLine>,
) -> Option<SyncRun> {
    if let Ok(mut p) = phase.lock() {
        p.clone_from(&name);
    }
    let t = Instant::now();
    let result = job.run(book, exec).await;
    let secs = t.elapsed().as_secs_f64();
    let (outcome, run) = match result {
        Ok(run) => (writes_line(&run), Some(run)),
        Err(e) => (format!("stopped by a read error: {e}"), None),
    };
    eprintln!("{name}: {secs:.1} s, {outcome}");
    lines.push(RunLine {
        name,
        secs,
        outcome,
    });
    run
}

/// Without faults: a run that completes what the faulted runs left, then one that must write nothing.
async fn settle(
    job: &SyncJob,
    book: &mut MappingBook,
    exec: &Executor,
    name: &str,
    phase: &Mutex<String>,
    lines: &mut Vec<RunLine>,
    intended: &mut Intended,
) -> Result<SyncRun, Box<dyn std::error::Error>> {
    let mut last = None;
    for i in 1..=2 {
        let run = run_once(
            job,
            book,
            exec,
            format!("{name} {i} (no faults)"),
            phase,
            lines,
        )
        .await
        .ok_or("a run without faults failed")?;
        intended.add(&run);
        let done = run.is_noop();
        last = Some(run);
        if done {
            break;
        }
    }
    last.ok_or_else(|| "no run".into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let knobs = match Knobs::parse() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match soak(&knobs).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn soak(k: &Knobs) -> Result<bool, Box<dyn std::error::Error>> {
    let start = Instant::now();
    let spec = TenantSpec::new(k.seed, (k.devices / 60).max(5), k.devices);
    let tenant = Arc::new(Tenant::generate(&spec));
    eprintln!(
        "tenant: {} PSA companies, {} configurations, {} RMM devices, {} alerts ({:.1} s)",
        tenant.psa_companies.len(),
        tenant.psa_configurations.len(),
        tenant.rmm_devices.len(),
        tenant.alerts.len(),
        start.elapsed().as_secs_f64()
    );
    let sandbox = Sandbox::start(
        SandboxOptions::default()
            .tenant_data(tenant.clone())
            .clock_factor(k.clock)
            .seed(k.seed),
    )
    .await?;
    let connectors = Connectors::sandbox(&sandbox).await?;
    if !connectors.skipped.is_empty() {
        return Err(connectors.skipped.join("; ").into());
    }
    let job = connectors.job(sync_settings("Alerts"))?;
    let before = (
        count_by(&sandbox, "company/configurations", "deviceIdentifier"),
        count_by(&sandbox, "service/tickets", "externalXRef"),
    );
    sandbox.log().clear();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let samples = Arc::new(Mutex::new(Samples::default()));
    let phase = Arc::new(Mutex::new("setup".to_owned()));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = spawn_sampler(
        sandbox.log().clone(),
        tally.clone(),
        samples.clone(),
        phase.clone(),
        stop.clone(),
        start,
    );
    inject_faults(&sandbox, k.fault_rate, &k.mix);
    let mut book = setup_book();
    let exec = Executor::new().apply(true).concurrency(k.concurrency);
    let mut lines = Vec::new();
    let mut intended = Intended::default();
    let mut converged = false;
    for i in 1..=k.max_runs {
        let run = run_once(
            &job,
            &mut book,
            &exec,
            format!("run {i}"),
            &phase,
            &mut lines,
        )
        .await;
        if let Some(run) = run {
            intended.add(&run);
            if run.is_noop() && run.failed() == 0 {
                converged = true;
                break;
            }
        }
    }
    sandbox.faults().clear();
    let check = settle(
        &job,
        &mut book,
        &exec,
        "check",
        &phase,
        &mut lines,
        &mut intended,
    )
    .await?;
    let verdict = verify(&sandbox, &before, &intended, &check);
    for l in &verdict.lines {
        eprintln!("after the runs: {l}");
    }
    let check_noop = check.is_noop();
    inject_faults(&sandbox, k.fault_rate, &k.mix);
    let mut cycle_rss = Vec::new();
    for c in 1..=k.cycles {
        let run = run_once(
            &job,
            &mut book,
            &exec,
            format!("cycle {c}"),
            &phase,
            &mut lines,
        )
        .await;
        if let Some(run) = run {
            intended.add(&run);
        }
        cycle_rss.push(rss_kib().unwrap_or(0));
    }
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    sandbox.faults().clear();
    let after = settle(
        &job,
        &mut book,
        &exec,
        "final check",
        &phase,
        &mut lines,
        &mut intended,
    )
    .await?;
    let final_verdict = verify(&sandbox, &before, &intended, &after);
    let wall = start.elapsed().as_secs_f64();
    let datto_stats = connectors.datto.as_ref().map(|d| d.client().stats());
    let tally = std::mem::take(&mut *tally_lock(&tally));
    println!(
        "## soak: {} devices, fault rate {} ({}), seed {}, clock x{}",
        tenant.rmm_devices.len(),
        k.fault_rate,
        k.mix.join(","),
        k.seed,
        k.clock
    );
    println!(
        "records: {} RMM devices, {} PSA configurations, {} alerts",
        tenant.rmm_devices.len(),
        tenant.psa_configurations.len(),
        tenant.alerts.len()
    );
    for l in &lines {
        println!("- {}: {:.1} s, {}", l.name, l.secs, l.outcome);
    }
    println!(
        "converged under faults: {converged}; last run without faults is a no-op: {check_noop}"
    );
    println!("final state after the runs:");
    for l in &verdict.lines {
        println!("- {l}");
    }
    println!("final state after the steady cycles:");
    for l in &final_verdict.lines {
        println!("- {l}");
    }
    println!(
        "lost: {}, doubled: {} (after the runs); lost: {}, doubled: {} (after the steady cycles)",
        verdict.lost, verdict.doubled, final_verdict.lost, final_verdict.doubled
    );
    let total: usize = tally.requests.values().sum();
    println!("requests: {total} {:?}", tally.requests);
    println!(
        "faults injected: {} {:?}",
        tally.faults.values().sum::<usize>(),
        tally.faults
    );
    println!("faulted requests sent again: {}", tally.retried);
    println!("writes stored by the fakes: {:?}", tally.stored);
    if let Some(s) = datto_stats {
        println!(
            "Datto client: {} reads, {} writes, {} token requests, {} throttled (429), {} IP blocks",
            s.reads, s.writes, s.token_requests, s.throttled, s.ip_blocks
        );
    }
    let samples = samples.lock().map(|s| s.rows.clone()).unwrap_or_default();
    print_rss(&samples, &cycle_rss);
    println!("wall time: {wall:.1} s");
    sandbox.shutdown().await;
    Ok(converged
        && check_noop
        && after.is_noop()
        && verdict.lost + verdict.doubled + final_verdict.lost + final_verdict.doubled == 0)
}

fn print_rss(samples: &[(f64, String, u64)], cycles: &[u64]) {
    let mut by_phase: Vec<(String, u64, u64, u64)> = Vec::new();
    for (_, phase, kib) in samples {
        match by_phase.last_mut() {
            Some((p, _, last, peak)) if p == phase => {
                *last = *kib;
                *peak = (*peak).max(*kib);
            }
            _ => by_phase.push((phase.clone(), *kib, *kib, *kib)),
        }
    }
    println!("RSS (MiB) per phase: first sample / last sample / peak");
    for (phase, first, last, peak) in by_phase {
        println!(
            "- {phase}: {} / {} / {}",
            first / 1024,
            last / 1024,
            peak / 1024
        );
    }
    let mib: Vec<u64> = cycles.iter().map(|k| k / 1024).collect();
    println!("RSS after each steady cycle (MiB): {mib:?}");
}
