//! `match-report`: the seeds' review screens as a file. RMM companies and sites against PSA companies, RMM
//! devices against PSA configurations, each with the decision (auto, suggested, unmatched, skipped), the
//! score, the keys that agreed and what blocked a link. Read-only: it plans, it never applies.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use psa_rmm_core::connector::ConnectorError;
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::matching::Candidate;
use psa_rmm_core::model::{Device, ExternalRef};
use psa_rmm_core::sync::{
    CompanyAction, CompanyPlan, CompanyRow, DeviceAction, DevicePlan, DeviceRow, DeviceSnapshot,
    SyncJob, VanishedRow,
};
use psa_rmm_sandbox::{Sandbox, SandboxError, SandboxOptions, TenantSpec};
use serde::Serialize;
use serde_json::Value;

use crate::config::{ConfigError, VendorConfig};
use crate::connect::{ConnectError, Connectors};
use crate::csv;
use crate::settings::{setup_book, sync_settings};
use crate::veto::serial_vetoes;

/// Usage text.
pub const USAGE: &str = "usage: match-report [--format csv|json] [--out FILE]

Matches RMM companies/sites to PSA companies and RMM devices to PSA configurations, as the demo plans them,
and writes every decision for review: auto, suggested, unmatched or skipped, with score, evidence,
candidates, what blocked a link, serial vetoes, and the possible move / reactivation flags. Read-only: nothing is written
to any vendor. With no vendor configured (see README), runs on the embedded sandbox.

  --format csv|json   output format (default csv: one table, column `record` is company or device)
  --out FILE          write to FILE instead of standard output";

/// What a reviewer is asked to do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Linked automatically (new link, kept link, or a linked device with or without field changes).
    Auto,
    /// Candidates to confirm: suggestions, conflicts, possible moves and reactivations.
    Suggested,
    /// No candidate (a device would be created or staged; a company is never created).
    Unmatched,
    /// Left out by a rule, a system site or an unmapped company.
    Skipped,
    /// A PSA configuration whose RMM device is gone.
    Vanished,
}

/// Whether a row is a company or a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// An RMM company or site.
    Company,
    /// An RMM device (or a configuration whose device vanished).
    Device,
}

/// One row of the review: the same columns for companies and devices (empty where they do not apply).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    /// Company or device.
    pub record: Record,
    /// RMM system (`datto-rmm`, `cw-asio`).
    pub rmm_system: String,
    /// RMM id.
    pub rmm_id: String,
    /// RMM name (company or site name, device host name).
    pub rmm_name: String,
    /// The decision.
    pub decision: Decision,
    /// The planned action (`link`, `keep`, `update`, `create`, `possible move`, ...).
    pub action: String,
    /// Confidence of the link or of the best candidate, 0..=1.
    pub score: Option<f64>,
    /// PSA company: the link (companies) or the company the device's site maps to (devices).
    pub psa_company: Option<String>,
    /// Its name, when known.
    pub psa_company_name: Option<String>,
    /// PSA configuration: the link or the best candidate (devices).
    pub psa_configuration: Option<String>,
    /// Keys that agreed for the link or the best candidate, strongest first.
    pub evidence: Vec<String>,
    /// Every candidate with its score, best first.
    pub candidates: Vec<String>,
    /// Why no link was made although candidates exist.
    pub blocked_by: Option<String>,
    /// Configurations that share a key with an unlinked device but hold another serial (the serial veto).
    pub vetoed: Vec<String>,
    /// A strong key sits on an active configuration of another company.
    pub possible_move: bool,
    /// A strong key sits on an inactive configuration.
    pub possible_reactivation: bool,
    /// Fields a sync would change.
    pub changes: Vec<String>,
    /// Anything else worth knowing (skip reason, staged for approval, overlap split).
    pub note: Option<String>,
}

impl ReviewRow {
    fn new(
        record: Record,
        rmm: &ExternalRef,
        name: &str,
        decision: Decision,
        action: &str,
    ) -> Self {
        Self {
            record,
            rmm_system: rmm.system.to_string(),
            rmm_id: rmm.id.clone(),
            rmm_name: name.to_owned(),
            decision,
            action: action.to_owned(),
            score: None,
            psa_company: None,
            psa_company_name: None,
            psa_configuration: None,
            evidence: Vec::new(),
            candidates: Vec::new(),
            blocked_by: None,
            vetoed: Vec::new(),
            possible_move: false,
            possible_reactivation: false,
            changes: Vec::new(),
            note: None,
        }
    }

    fn best(&mut self, candidates: &[Candidate<ExternalRef>]) -> Option<String> {
        let best = candidates.first()?;
        self.score = Some(best.confidence);
        self.evidence = best.evidence.iter().map(tagged).collect();
        self.candidates = candidates.iter().map(candidate).collect();
        Some(best.target.id.clone())
    }
}

/// Names of CSV columns, in order.
pub const COLUMNS: [&str; 18] = [
    "record",
    "rmm_system",
    "rmm_id",
    "rmm_name",
    "decision",
    "action",
    "score",
    "psa_company",
    "psa_company_name",
    "psa_configuration",
    "evidence",
    "candidates",
    "blocked_by",
    "vetoed",
    "possible_move",
    "possible_reactivation",
    "changes",
    "note",
];

/// The whole review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchReport {
    /// Rows per decision, companies and devices apart.
    pub summary: BTreeMap<&'static str, BTreeMap<Decision, usize>>,
    /// One row per RMM company or site.
    pub companies: Vec<ReviewRow>,
    /// One row per RMM device, then one per vanished configuration.
    pub devices: Vec<ReviewRow>,
}

/// A serde-tagged value as text: `fuzzy_name(score=0.91)`, `held_by_other_device(holder=cw-asio:7)`.
fn tagged<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(Value::Object(map)) => {
            let mut name = String::new();
            let mut fields = Vec::new();
            for (k, v) in &map {
                match v {
                    Value::String(s)
                        if name.is_empty() && matches!(k.as_str(), "key" | "reason" | "skip") =>
                    {
                        name.clone_from(s);
                    }
                    _ => fields.push(format!("{k}={}", plain(v))),
                }
            }
            if fields.is_empty() {
                name
            } else {
                format!("{name}({})", fields.join(", "))
            }
        }
        Ok(other) => plain(&other),
        Err(_) => String::new(),
    }
}

/// A JSON value as short text: references as `system:id`, numbers with at most 3 decimals.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:.3}"),
            _ => n.to_string(),
        },
        Value::Object(m) if m.contains_key("system") && m.contains_key("id") => {
            format!("{}:{}", plain(&m["system"]), plain(&m["id"]))
        }
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

fn candidate(c: &Candidate<ExternalRef>) -> String {
    format!("{} ({:.3})", c.target.id, c.confidence)
}

fn company_row(row: &CompanyRow, plan: &CompanyPlan) -> ReviewRow {
    let (decision, psa) = match &row.action {
        CompanyAction::Link { psa, .. } | CompanyAction::Keep { psa } => {
            (Decision::Auto, Some(psa))
        }
        CompanyAction::Suggest { .. } | CompanyAction::Conflict { .. } => {
            (Decision::Suggested, None)
        }
        CompanyAction::Unmatched => (Decision::Unmatched, None),
        CompanyAction::Skip { .. } => (Decision::Skipped, None),
    };
    let mut out = ReviewRow::new(
        Record::Company,
        &row.rmm,
        &row.name,
        decision,
        row.action.name(),
    );
    out.psa_company = psa.map(|p| p.id.clone());
    match &row.action {
        CompanyAction::Link {
            confidence,
            evidence,
            ..
        } => {
            out.score = Some(*confidence);
            out.evidence = evidence.iter().map(tagged).collect();
        }
        CompanyAction::Keep { .. } => out.note = Some("link already in the mapping book".into()),
        CompanyAction::Suggest { candidates } => out.psa_company = out.best(candidates),
        CompanyAction::Conflict { candidates, reason } => {
            out.psa_company = out.best(candidates);
            out.blocked_by = Some(tagged(reason));
        }
        CompanyAction::Unmatched => {}
        CompanyAction::Skip { reason } => out.note = Some(tagged(reason)),
    }
    if row.overlap_split {
        out.note = Some("its devices match configurations of several PSA companies".into());
    }
    out.psa_company_name = out
        .psa_company
        .as_ref()
        .and_then(|id| plan.psa_names.get(id).cloned());
    out
}

fn device_row(row: &DeviceRow, psa_names: &BTreeMap<String, String>) -> ReviewRow {
    let decision = match &row.action {
        DeviceAction::Update { .. } | DeviceAction::Unchanged { .. } => Decision::Auto,
        DeviceAction::Create { .. } | DeviceAction::Staged { .. } => Decision::Unmatched,
        DeviceAction::Skip { .. } => Decision::Skipped,
        DeviceAction::Suggest { .. }
        | DeviceAction::Conflict { .. }
        | DeviceAction::PossibleMove { .. }
        | DeviceAction::PossibleReactivation { .. } => Decision::Suggested,
    };
    let name = row.hostname.as_deref().unwrap_or_default();
    let mut out = ReviewRow::new(
        Record::Device,
        &row.device,
        name,
        decision,
        row.action.name(),
    );
    out.psa_company = row.company.as_ref().map(|c| c.id.clone());
    out.psa_company_name = out
        .psa_company
        .as_ref()
        .and_then(|id| psa_names.get(id).cloned());
    match &row.action {
        DeviceAction::Update {
            configuration,
            changes,
            confidence,
            evidence,
        } => {
            out.psa_configuration = Some(configuration.id.clone());
            out.score = Some(*confidence);
            out.evidence = evidence.iter().map(tagged).collect();
            out.changes = changes.iter().map(|c| c.field.to_string()).collect();
        }
        DeviceAction::Unchanged {
            configuration,
            confidence,
            evidence,
        } => {
            out.psa_configuration = Some(configuration.id.clone());
            out.score = Some(*confidence);
            out.evidence = evidence.iter().map(tagged).collect();
        }
        DeviceAction::Create { configuration } => {
            out.note = Some(format!(
                "would create a {:?} configuration",
                configuration.type_name
            ));
        }
        DeviceAction::Staged { configuration } => {
            out.note = Some(format!(
                "staged: a {:?} configuration waits for approval (auto-sync off)",
                configuration.type_name
            ));
        }
        DeviceAction::Suggest { candidates } => out.psa_configuration = out.best(candidates),
        DeviceAction::Conflict { candidates, reason } => {
            out.psa_configuration = out.best(candidates);
            out.blocked_by = Some(tagged(reason));
        }
        DeviceAction::PossibleMove { candidates } => {
            out.psa_configuration = out.best(candidates);
            out.possible_move = true;
            out.blocked_by =
                Some("strong key on an active configuration of another company".into());
        }
        DeviceAction::PossibleReactivation { candidates } => {
            out.psa_configuration = out.best(candidates);
            out.possible_reactivation = true;
            out.blocked_by = Some("strong key on an inactive configuration".into());
        }
        DeviceAction::Skip { reason } => out.note = Some(reason.to_string()),
    }
    out
}

fn vanished_row(row: &VanishedRow) -> ReviewRow {
    let (system, id) = row
        .linked_id
        .split_once(':')
        .unwrap_or(("", row.linked_id.as_str()));
    let rmm = ExternalRef::new(system.into(), id);
    let action = tagged(&row.action);
    let mut out = ReviewRow::new(
        Record::Device,
        &rmm,
        row.name.as_deref().unwrap_or_default(),
        Decision::Vanished,
        &action,
    );
    out.psa_configuration = Some(row.configuration.id.clone());
    out.note = Some("the RMM device linked to this configuration is gone".into());
    out
}

fn summary(rows: &[ReviewRow]) -> BTreeMap<Decision, usize> {
    let mut counts = BTreeMap::new();
    for r in rows {
        *counts.entry(r.decision).or_insert(0) += 1;
    }
    counts
}

impl MatchReport {
    /// The review of a company plan and a device plan.
    pub fn new(companies: &CompanyPlan, devices: &DevicePlan) -> Self {
        let companies: Vec<ReviewRow> = companies
            .rows
            .iter()
            .map(|r| company_row(r, companies))
            .collect();
        let names: BTreeMap<String, String> = companies
            .iter()
            .filter_map(|r| Some((r.psa_company.clone()?, r.psa_company_name.clone()?)))
            .collect();
        let devices: Vec<ReviewRow> = devices
            .rows
            .iter()
            .map(|r| device_row(r, &names))
            .chain(devices.vanished.iter().map(vanished_row))
            .collect();
        let summary = [
            ("companies", summary(&companies)),
            ("devices", summary(&devices)),
        ]
        .into_iter()
        .collect();
        Self {
            summary,
            companies,
            devices,
        }
    }

    /// Fills `vetoed` of the unlinked device rows from the devices and configurations read.
    pub fn add_vetoes(&mut self, snapshot: &DeviceSnapshot) {
        let mut by_company: HashMap<&str, Vec<&Device>> = HashMap::new();
        for c in &snapshot.configurations {
            if let Some(company) = &c.company {
                by_company.entry(company.id.as_str()).or_default().push(c);
            }
        }
        let devices: HashMap<(String, &str), &Device> = snapshot
            .devices
            .iter()
            .map(|d| ((d.external.system.to_string(), d.external.id.as_str()), d))
            .collect();
        for row in &mut self.devices {
            if !matches!(row.decision, Decision::Unmatched | Decision::Suggested) {
                continue;
            }
            let (Some(company), Some(device)) = (
                row.psa_company.as_deref(),
                devices.get(&(row.rmm_system.clone(), row.rmm_id.as_str())),
            ) else {
                continue;
            };
            let configurations = by_company.get(company).into_iter().flatten().copied();
            row.vetoed = serial_vetoes(device, configurations);
        }
    }

    /// Companies then devices as one CSV table with a header (RFC 4180 quoting, CRLF line ends).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv::write_row(&mut out, COLUMNS);
        for row in self.companies.iter().chain(&self.devices) {
            csv::write_row(&mut out, csv_fields(row).iter().map(String::as_str));
        }
        out
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

fn csv_fields(r: &ReviewRow) -> [String; 18] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        tagged(&r.record),
        r.rmm_system.clone(),
        r.rmm_id.clone(),
        r.rmm_name.clone(),
        tagged(&r.decision),
        r.action.clone(),
        r.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
        opt(&r.psa_company),
        opt(&r.psa_company_name),
        opt(&r.psa_configuration),
        r.evidence.join("; "),
        r.candidates.join("; "),
        opt(&r.blocked_by),
        r.vetoed.join("; "),
        r.possible_move.to_string(),
        r.possible_reactivation.to_string(),
        r.changes.join("; "),
        opt(&r.note),
    ]
}

/// Plans companies and devices the way the demo does, without applying anything: company links are
/// recorded only in `book` (in memory) so that devices of mapped companies are matched.
pub async fn collect(job: &SyncJob, book: &mut MappingBook) -> Result<MatchReport, ConnectorError> {
    let snapshot = job.fetch_devices().await?;
    let companies = job.plan_companies(book, Some(&snapshot)).await?;
    companies.apply_to(book, Utc::now());
    let devices = job.plan_devices(&snapshot, book);
    let mut report = MatchReport::new(&companies, &devices);
    report.add_vetoes(&snapshot);
    Ok(report)
}

/// Output format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// One CSV table.
    #[default]
    Csv,
    /// JSON with a summary.
    Json,
}

/// Command-line options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportArgs {
    /// Output format.
    pub format: Format,
    /// Output file; standard output when `None`.
    pub out: Option<PathBuf>,
}

impl ReportArgs {
    /// Parses arguments; `Ok(None)` for `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Self>, String> {
        let mut out = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--format" => {
                    out.format = match args.next().as_deref() {
                        Some("csv") => Format::Csv,
                        Some("json") => Format::Json,
                        other => return Err(format!("--format wants csv or json, not {other:?}")),
                    }
                }
                "--out" => {
                    let file = args.next().ok_or("--out needs a file name")?;
                    out.out = Some(PathBuf::from(file));
                }
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Some(out))
    }
}

/// Why `match-report` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The environment is incomplete.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// A vendor refused or could not be reached.
    #[error("connection failed: {0}")]
    Connect(#[from] ConnectError),
    /// A read failed (no report is written from partial data).
    #[error("reading failed: {0}")]
    Read(#[from] ConnectorError),
    /// The sandbox could not start.
    #[error("sandbox: {0}")]
    Sandbox(#[from] SandboxError),
    /// The report could not be rendered or written.
    #[error("cannot write the report: {0}")]
    Output(String),
    /// Real vendors need the PSA and at least one RMM.
    #[error("{0}")]
    Incomplete(String),
}

async fn vendor_connectors(config: &VendorConfig) -> Result<Connectors, ReportError> {
    if config.manage.is_none() {
        return Err(ReportError::Incomplete(
            "the PSA is not configured: set the CW_MANAGE_* variables (see README)".into(),
        ));
    }
    if config.datto.is_none() && config.asio.is_none() {
        return Err(ReportError::Incomplete(
            "no RMM is configured: set the DATTO_RMM_* or CW_ASIO_* variables (see README)".into(),
        ));
    }
    Ok(Connectors::from_config(config).await?)
}

/// The report for `connectors`, rendered in `format`.
pub async fn render(connectors: &Connectors, format: Format) -> Result<String, ReportError> {
    let job = connectors.job(sync_settings("Alerts"))?;
    let mut book = setup_book();
    let report = collect(&job, &mut book).await?;
    match format {
        Format::Csv => Ok(report.to_csv()),
        Format::Json => report
            .to_json()
            .map_err(|e| ReportError::Output(e.to_string())),
    }
}

/// Runs `match-report`: the configured vendors, or the sandbox with the demo's tenant when none is.
pub async fn run(args: &ReportArgs) -> Result<ExitCode, ReportError> {
    let config = VendorConfig::from_env()?;
    let text = if config.is_empty() {
        sandbox_report(TenantSpec::small(), args.format).await?
    } else {
        render(&vendor_connectors(&config).await?, args.format).await?
    };
    write_out(args, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The report of a sandbox serving `tenant`.
pub async fn sandbox_report(tenant: TenantSpec, format: Format) -> Result<String, ReportError> {
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(tenant)).await?;
    let text = match Connectors::sandbox(&sandbox).await {
        Ok(connectors) => {
            for skipped in &connectors.skipped {
                eprintln!("left out: {skipped}");
            }
            render(&connectors, format).await
        }
        Err(e) => Err(e.into()),
    };
    sandbox.shutdown().await;
    text
}

/// Writes `text` where `args` say: the `--out` file, or standard output.
pub fn write_out(args: &ReportArgs, text: &str) -> Result<(), ReportError> {
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| ReportError::Output(format!("{}: {e}", path.display()))),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_rmm_core::matching::{AmbiguityReason, Evidence};
    use psa_rmm_core::model::System;

    #[test]
    fn arguments_parse_and_bad_ones_are_refused() {
        let parse = |a: &[&str]| ReportArgs::parse(a.iter().map(|s| (*s).to_owned()));
        assert_eq!(parse(&[]).unwrap(), Some(ReportArgs::default()));
        let args = parse(&["--format", "json", "--out", "r.json"])
            .unwrap()
            .unwrap();
        assert_eq!(args.format, Format::Json);
        assert_eq!(args.out, Some(PathBuf::from("r.json")));
        assert!(parse(&["--format", "xml"]).unwrap_err().contains("xml"));
        assert!(parse(&["--out"]).is_err());
        assert_eq!(parse(&["--help"]).unwrap(), None);
    }

    #[test]
    fn tagged_values_read_as_short_text() {
        assert_eq!(tagged(&Evidence::Serial), "serial");
        assert_eq!(
            tagged(&Evidence::FuzzyName { score: 0.9123 }),
            "fuzzy_name(score=0.912)"
        );
        assert_eq!(
            tagged(&Evidence::DeviceOverlap {
                matched: 5,
                total: 6
            }),
            "device_overlap(matched=5, total=6)"
        );
        let holder = ExternalRef::new(System::CwAsio, "e-7");
        assert_eq!(
            tagged(&AmbiguityReason::HeldByOtherDevice { holder }),
            "held_by_other_device(holder=cw-asio:e-7)"
        );
    }

    #[test]
    fn a_conflicting_device_shows_candidates_and_what_blocked_it() {
        let row = DeviceRow {
            device: ExternalRef::new(System::DattoRmm, "d1"),
            hostname: Some("PC-1".into()),
            company: Some(ExternalRef::new(System::CwManage, "7")),
            action: DeviceAction::Conflict {
                candidates: vec![
                    Candidate {
                        target: ExternalRef::new(System::CwManage, "100"),
                        confidence: 0.95,
                        evidence: vec![Evidence::Serial],
                    },
                    Candidate {
                        target: ExternalRef::new(System::CwManage, "101"),
                        confidence: 0.94,
                        evidence: vec![Evidence::Serial],
                    },
                ],
                reason: AmbiguityReason::KeyHitsSeveral,
            },
        };
        let names = BTreeMap::from([("7".to_owned(), "Acme".to_owned())]);
        let r = device_row(&row, &names);
        assert_eq!(r.decision, Decision::Suggested);
        assert_eq!(r.psa_configuration.as_deref(), Some("100"));
        assert_eq!(r.psa_company_name.as_deref(), Some("Acme"));
        assert_eq!(r.candidates, ["100 (0.950)", "101 (0.940)"]);
        assert_eq!(r.blocked_by.as_deref(), Some("key_hits_several"));
        assert_eq!(r.evidence, ["serial"]);
    }
}
