//! Terminal output of the demo: progress bars while it works, tables and a summary after.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use psa_rmm_core::connector::ConnectorError;
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::sync::{
    CompanyAction, DeviceAction, DevicePlan, Executor, Flow, Report, SyncJob, SyncRun,
    WriteBackPlan,
};

use crate::score::Score;

/// Progress bars (hidden when asked, or when stderr is not a terminal).
#[derive(Debug, Clone)]
pub struct Ui {
    bars: MultiProgress,
}

impl Ui {
    /// Bars on stderr, or none.
    pub fn new(visible: bool) -> Self {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            bars: MultiProgress::with_draw_target(target),
        }
    }

    /// A spinner for a read phase.
    pub fn spinner(&self, message: &str) -> ProgressBar {
        let bar = self.bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }

    /// A bar for the writes of one flow, fed by the executor's progress callback.
    pub fn writes(&self, flow: Flow, executor: &Executor) -> (Executor, ProgressBar) {
        let bar = self.bars.add(ProgressBar::new(0));
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} writes")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(flow.to_string());
        let feed = bar.clone();
        let exec = executor.clone().on_progress(move |p| {
            feed.set_length(p.total as u64);
            feed.set_position(p.finished as u64);
            if p.failed > 0 {
                feed.set_message(format!("{} ({} failed)", p.flow, p.failed));
            }
        });
        (exec, bar)
    }
}

/// Runs the four flows like [`SyncJob::run`], with a spinner per read and a bar per batch of writes.
pub async fn run_with_progress(
    job: &SyncJob,
    book: &mut MappingBook,
    executor: &Executor,
    ui: &Ui,
) -> Result<SyncRun, ConnectorError> {
    let spin = ui.spinner("reading RMM devices and PSA configurations");
    let snapshot = job.fetch_devices().await?;
    spin.finish_with_message(format!(
        "{} RMM devices, {} configurations",
        snapshot.devices.len(),
        snapshot.configurations.len()
    ));
    // Devices are read first: their overlap with configurations links sites whose names say nothing.
    let spin = ui.spinner("matching companies and devices");
    let companies = job.plan_companies(book, Some(&snapshot)).await?;
    companies.apply_to(book, chrono::Utc::now());
    let devices = job.plan_devices(&snapshot, book);
    spin.finish_with_message(format!(
        "companies: {}; devices: {}",
        counts(&companies.counts()),
        counts(&devices.counts())
    ));
    let (exec, bar) = ui.writes(Flow::Devices, executor);
    let device_report = job.apply_devices(&devices, book, &exec).await;
    bar.finish();

    let write_back = job.plan_write_back(&snapshot, book);
    let (exec, bar) = ui.writes(Flow::WriteBack, executor);
    let write_back_report = job.apply_write_back(&write_back, &exec).await;
    bar.finish();

    let spin = ui.spinner("reading alerts and open tickets");
    let alerts = job.fetch_tickets().await?;
    let tickets = job.plan_tickets(&alerts, book);
    spin.finish_with_message(format!(
        "{} open and {} resolved alerts, {} open tickets: {}",
        alerts.open_alerts.len(),
        alerts.resolved_alerts.len(),
        alerts.open_tickets.len(),
        counts(&tickets.counts())
    ));
    let (exec, bar) = ui.writes(Flow::Tickets, executor);
    let ticket_report = job.apply_tickets(&tickets, &exec).await;
    bar.finish();
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

/// `name n, name n, ...`.
pub fn counts(counts: &std::collections::BTreeMap<&'static str, usize>) -> String {
    if counts.is_empty() {
        return "nothing".to_owned();
    }
    counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The device plan without its unchanged rows, at most `limit` rows, with a line for the rest.
pub fn device_table(plan: &DevicePlan, limit: usize) -> String {
    let interesting: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| !matches!(r.action, DeviceAction::Unchanged { .. }))
        .cloned()
        .collect();
    let shown = DevicePlan {
        rows: interesting.iter().take(limit).cloned().collect(),
        vanished: plan.vanished.iter().take(limit).cloned().collect(),
    };
    let mut text = shown.to_string();
    let hidden =
        interesting.len().saturating_sub(limit) + plan.vanished.len().saturating_sub(limit);
    let unchanged = plan.rows.len() - interesting.len();
    text.push_str(&format!(
        "({unchanged} unchanged row(s) not shown{})\n",
        if hidden > 0 {
            format!(", {hidden} more not shown (--full)")
        } else {
            String::new()
        }
    ));
    text
}

/// The write-back plan, at most `limit` rows, with a line for the rest.
pub fn write_back_table(plan: &WriteBackPlan, limit: usize) -> String {
    let shown = WriteBackPlan {
        writes: plan.writes.iter().take(limit).cloned().collect(),
        unchanged: plan.unchanged,
    };
    let mut text = shown.to_string();
    let hidden = plan.writes.len().saturating_sub(limit);
    if hidden > 0 {
        text.push_str(&format!("({hidden} more write(s) not shown (--full))\n"));
    }
    text
}

fn report_line(report: &Report) -> String {
    format!(
        "{:>10}: {} write(s) planned, {} done now, {} already there, {} failed{}",
        report.flow.to_string(),
        report.entries.len(),
        report.written(),
        report
            .entries
            .iter()
            .filter(|e| matches!(
                e.outcome,
                psa_rmm_core::sync::StepOutcome::AlreadyThere { .. }
            ))
            .count(),
        report.failed(),
        if report.applied { "" } else { " (dry run)" }
    )
}

/// The summary of one run.
pub fn summary(run: &SyncRun, devices: Option<&Score>, companies: Option<&Score>) -> String {
    let mut out = String::new();
    let linked = run
        .companies
        .rows
        .iter()
        .filter(|r| {
            matches!(
                r.action,
                CompanyAction::Link { .. } | CompanyAction::Keep { .. }
            )
        })
        .count();
    out.push_str(&format!(
        " companies: {} of {} RMM customers linked ({})\n",
        linked,
        run.companies.rows.len(),
        counts(&run.companies.counts())
    ));
    out.push_str(&format!("   devices: {}\n", counts(&run.devices.counts())));
    out.push_str(&format!("   tickets: {}\n", counts(&run.tickets.counts())));
    for report in [
        &run.device_report,
        &run.write_back_report,
        &run.ticket_report,
    ] {
        out.push_str(&report_line(report));
        out.push('\n');
    }
    if let Some(s) = companies {
        out.push_str(&format!("company links vs truth: {s}\n"));
    }
    if let Some(s) = devices {
        out.push_str(&format!(" device links vs truth: {s}\n"));
    }
    for e in run
        .device_report
        .failures()
        .chain(run.write_back_report.failures())
        .chain(run.ticket_report.failures())
        .take(10)
    {
        if let psa_rmm_core::sync::StepOutcome::Failed { error, .. } = &e.outcome {
            out.push_str(&format!(
                "    failed: {} {}: {error}\n",
                e.action, e.subject
            ));
        }
    }
    out
}
