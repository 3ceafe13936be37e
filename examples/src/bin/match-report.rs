//! The seeds' review screens as a file: RMM companies/sites -> PSA companies and RMM devices -> PSA
//! configurations with decision, score, evidence and flags, as CSV or JSON (`--format`, `--out`).
//! Read-only: nothing is written to any vendor. Runs on the embedded sandbox when no vendor is configured.

use std::process::ExitCode;

use psa_rmm_examples::report::{ReportArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    psa_rmm_examples::cli::main(USAGE, "warn", ReportArgs::parse, run).await
}
