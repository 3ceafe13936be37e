//! The demo job: connect, run the four flows with progress bars, print tables and a summary, and on the
//! sandbox run a second time to show that nothing changes.

use std::io::Write;
use std::process::ExitCode;

use psa_rmm_core::connector::ConnectorError;
use psa_rmm_core::model::{ExternalRef, System};
use psa_rmm_core::sync::{Executor, SyncRun};
use psa_rmm_sandbox::{Sandbox, SandboxError, SandboxOptions, TenantSpec};
use serde::Serialize;

use crate::config::{ConfigError, VendorConfig};
use crate::connect::{ConnectError, Connectors};
use crate::score::Score;
use crate::settings::{setup_book, sync_settings};
use crate::ui::{Ui, device_table, run_with_progress, summary, write_back_table};

/// Usage text.
pub const USAGE: &str = "usage: demo [--apply] [--json] [--full]

With no vendor configured, starts the embedded sandbox (20 companies, ~1,000 devices), runs company
mapping, device sync, write-back and alert tickets, then runs again to show nothing changes.
With vendor credentials in the environment (see README), runs once against them: dry-run unless --apply.

  --apply   write to real vendors (the sandbox is always written)
  --json    print the run as JSON on stdout instead of tables
  --full    print every device row, not only the first 40 changes";

/// Rows of the device table printed unless `--full`.
const DEVICE_ROWS: usize = 40;

/// Sandbox seconds per real second in the demo: the fakes' per-minute budgets become per-second ones, and
/// the sandbox connectors pace to them ([`Connectors::sandbox`]).
pub const SANDBOX_CLOCK_FACTOR: f64 = 60.0;

/// Command-line options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoArgs {
    /// Write to real vendors.
    pub apply: bool,
    /// JSON output.
    pub json: bool,
    /// Every device row.
    pub full: bool,
}

impl DemoArgs {
    /// Parses arguments; `Ok(None)` for `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Self>, String> {
        let mut out = Self::default();
        for arg in args {
            match arg.as_str() {
                "--apply" => out.apply = true,
                "--json" => out.json = true,
                "--full" => out.full = true,
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Some(out))
    }
}

/// Why the demo stopped.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The environment is incomplete.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// A vendor refused or could not be reached.
    #[error("connection failed: {0}")]
    Connect(#[from] ConnectError),
    /// A read failed mid-run (nothing is planned on partial data).
    #[error("sync stopped: {0}")]
    Sync(#[from] ConnectorError),
    /// The sandbox could not start.
    #[error("sandbox: {0}")]
    Sandbox(#[from] SandboxError),
    /// Real vendors need the PSA and at least one RMM.
    #[error("{0}")]
    Incomplete(String),
    /// The output could not be written.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

#[derive(Serialize)]
struct JsonRun<'a> {
    mode: &'static str,
    applied: bool,
    first: &'a SyncRun,
    second_run_noop: Option<bool>,
    second: Option<&'a SyncRun>,
    device_links: Option<Score>,
    company_links: Option<Score>,
}

/// Runs the demo: the sandbox when nothing is configured, the vendors otherwise.
pub async fn run(args: &DemoArgs) -> Result<ExitCode, DemoError> {
    let config = VendorConfig::from_env()?;
    let mut out = std::io::stdout();
    if !config.is_empty() {
        return vendor_demo(args, &config, &mut out).await;
    }
    let ui = Ui::new(!args.json);
    let spin = ui.spinner("starting the sandbox (20 companies, ~1,000 devices)");
    let sandbox = Sandbox::start(sandbox_options()).await?;
    spin.finish_with_message(format!(
        "sandbox: Manage {}, Datto {}, Asio {}",
        sandbox.manage_access().base_url,
        sandbox.datto_access().base_url,
        sandbox.asio_access().base_url
    ));
    let code = sandbox_demo(args, &sandbox, &ui, &mut out).await;
    sandbox.shutdown().await;
    code
}

/// The demo's sandbox: the small tenant on a clock [`SANDBOX_CLOCK_FACTOR`] times faster than real time.
pub fn sandbox_options() -> SandboxOptions {
    SandboxOptions::default()
        .tenant(TenantSpec::small())
        .clock_factor(SANDBOX_CLOCK_FACTOR)
}

/// The demo on a running sandbox: both runs (the sandbox is always written), tables or JSON written to
/// `out`, progress on `ui`.
pub async fn sandbox_demo(
    args: &DemoArgs,
    sandbox: &Sandbox,
    ui: &Ui,
    out: &mut dyn Write,
) -> Result<ExitCode, DemoError> {
    let spin = ui.spinner("Test Connection");
    let connectors = Connectors::sandbox(sandbox).await?;
    spin.finish_with_message(format!(
        "Test Connection: Manage{}{} connected",
        if connectors.datto.is_some() {
            ", Datto RMM"
        } else {
            ""
        },
        if connectors.asio.is_some() {
            ", Asio"
        } else {
            ""
        },
    ));
    for skipped in &connectors.skipped {
        eprintln!("left out: {skipped}");
    }
    let job = connectors.job(sync_settings("Alerts"))?;
    let mut book = setup_book();
    let executor = Executor::new().apply(true).concurrency(8);
    let first = run_with_progress(&job, &mut book, &executor, ui).await?;
    let truth = &sandbox.tenant().truth;
    let systems = connectors.rmm_systems();
    let devices = Score::devices(&first.devices, &only(&truth.configuration_of, &systems));
    let companies = Score::companies(&first.companies, &only(&truth.company_of, &systems));
    if !args.json {
        print_run(
            out,
            "first run",
            &first,
            args,
            Some(&devices),
            Some(&companies),
        )?;
    }
    let second = run_with_progress(&job, &mut book, &executor, ui).await?;
    let noop = second.is_noop();
    if args.json {
        print_json(
            out,
            &JsonRun {
                mode: "sandbox",
                applied: true,
                first: &first,
                second_run_noop: Some(noop),
                second: Some(&second),
                device_links: Some(devices),
                company_links: Some(companies),
            },
        )?;
    } else {
        writeln!(out, "== second run (same process, same input)")?;
        writeln!(out, "{}", summary(&second, None, None))?;
        if noop {
            writeln!(
                out,
                "second run: nothing to write, every record already in place"
            )?;
        } else {
            writeln!(out, "second run: UNEXPECTED writes, see the reports above")?;
        }
    }
    let clean = noop && first.failed() == 0;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn vendor_demo(
    args: &DemoArgs,
    config: &VendorConfig,
    out: &mut dyn Write,
) -> Result<ExitCode, DemoError> {
    if config.manage.is_none() {
        return Err(DemoError::Incomplete(
            "the PSA is not configured: set the CW_MANAGE_* variables (see README)".into(),
        ));
    }
    if config.datto.is_none() && config.asio.is_none() {
        return Err(DemoError::Incomplete(
            "no RMM is configured: set the DATTO_RMM_* or CW_ASIO_* variables (see README)".into(),
        ));
    }
    let ui = Ui::new(!args.json);
    let spin = ui.spinner("Test Connection");
    let connectors = Connectors::from_config(config).await?;
    spin.finish_with_message("Test Connection: connected");
    let board = std::env::var("CW_MANAGE_TICKET_BOARD").unwrap_or_else(|_| "Alerts".into());
    let job = connectors.job(sync_settings(&board))?;
    let mut book = setup_book();
    let executor = Executor::new().apply(args.apply).concurrency(4);
    let run = run_with_progress(&job, &mut book, &executor, &ui).await?;
    if args.json {
        print_json(
            out,
            &JsonRun {
                mode: "vendors",
                applied: args.apply,
                first: &run,
                second_run_noop: None,
                second: None,
                device_links: None,
                company_links: None,
            },
        )?;
    } else {
        let title = if args.apply { "run" } else { "dry run" };
        print_run(out, title, &run, args, None, None)?;
        if !args.apply {
            writeln!(out, "dry run: nothing was written; add --apply to write")?;
        }
    }
    Ok(if run.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The truth pairs whose RMM side is one of `systems` (an RMM left out cannot be scored).
fn only(
    truth: &std::collections::HashMap<ExternalRef, ExternalRef>,
    systems: &[System],
) -> std::collections::HashMap<ExternalRef, ExternalRef> {
    truth
        .iter()
        .filter(|(rmm, _)| systems.contains(&rmm.system))
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect()
}

fn print_run(
    out: &mut dyn Write,
    title: &str,
    run: &SyncRun,
    args: &DemoArgs,
    devices: Option<&Score>,
    companies: Option<&Score>,
) -> std::io::Result<()> {
    writeln!(out, "== {title}: company links")?;
    write!(out, "{}", run.companies)?;
    writeln!(out, "\n== {title}: device plan")?;
    if args.full {
        write!(out, "{}", run.devices)?;
    } else {
        write!(out, "{}", device_table(&run.devices, DEVICE_ROWS))?;
    }
    writeln!(out, "\n== {title}: write-back")?;
    if args.full {
        write!(out, "{}", run.write_back)?;
    } else {
        write!(out, "{}", write_back_table(&run.write_back, DEVICE_ROWS))?;
    }
    writeln!(out, "\n== {title}: tickets")?;
    write!(out, "{}", run.tickets)?;
    writeln!(out, "\n== {title}: summary")?;
    writeln!(out, "{}", summary(run, devices, companies))
}

fn print_json(out: &mut dyn Write, run: &JsonRun<'_>) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(run).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_and_unknown_ones_are_refused() {
        let parse = |a: &[&str]| DemoArgs::parse(a.iter().map(|s| (*s).to_owned()));
        assert_eq!(parse(&[]).unwrap(), Some(DemoArgs::default()));
        let all = parse(&["--apply", "--json", "--full"]).unwrap().unwrap();
        assert!(all.apply && all.json && all.full);
        assert_eq!(parse(&["--help"]).unwrap(), None);
        assert!(parse(&["--aply"]).unwrap_err().contains("--aply"));
    }
}
