//! The seeds' review screens as a file: RMM companies/sites -> PSA companies and RMM devices -> PSA
//! configurations with decision, score, evidence and flags, as CSV or JSON (`--format`, `--out`).
//! Read-only: nothing is written to any vendor. Runs on the embedded sandbox when no vendor is configured.

use std::process::ExitCode;

use psa_rmm_examples::report::{ReportArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match ReportArgs::parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(&args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
