//! The seeds' "Test Connection" for every vendor configured in the environment (ConnectWise Manage, Datto
//! RMM, ConnectWise Asio), or for the embedded sandbox when none is: OK with what was verified, or FAIL with
//! the reason and what to check. Exits 0 only when every check passed.

use std::process::ExitCode;

use psa_rmm_examples::check::{CheckArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match CheckArgs::parse(std::env::args().skip(1)) {
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
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
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
